import { Context } from "effect"
import type { BusTree } from "../busFiles/directories.js"
import type { AgentId } from "../domain/AgentId.js"

/** The checked bus directory and the paths inside it. */
export interface BusDirShape {
  /** The bus directory itself (mode 0700, never a symlink). */
  readonly root: string
  /** `registry.db`. */
  readonly registryDb: string
  /** `inbox/`, the parent of every agent's inbox. */
  readonly inboxRoot: string
  /** `pids/`, one file per registered runtime process. */
  readonly pidsDir: string
  /** `presets/`, warroom presets. */
  readonly presetsDir: string
  /** The inbox directory of one agent; a validated id always resolves inside `inbox/`. */
  readonly inboxDir: (agentId: AgentId) => string
  /** The bus dir as the file operations check it: every directory they use lies in it, on its device. */
  readonly tree: BusTree
}

/** The bus directory; its live layer refuses to build when the directory is unsafe. */
export class BusDir extends Context.Tag("helioy/BusDir")<BusDir, BusDirShape>() {}
