import { Context, type Effect, type Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import type { MailboxUnavailable } from "../errors/stores.js"

/** `pids/<pid>` files: which agent a registered runtime process is. */
export interface PidFilesShape {
  /** Records that process `pid` is agent `agentId` (written atomically, mode 0600). */
  readonly write: (pid: number, agentId: AgentId) => Effect.Effect<void, MailboxUnavailable>
  /** The agent recorded for a process, if any (a file that holds no valid id counts as none). */
  readonly read: (pid: number) => Effect.Effect<Option.Option<AgentId>>
  /** Removes the file of a process; succeeds whether or not it existed. */
  readonly remove: (pid: number) => Effect.Effect<void>
  /** Every recorded process and its agent (none when its file holds no valid id). */
  readonly list: Effect.Effect<ReadonlyArray<{ readonly pid: number; readonly agentId: Option.Option<AgentId> }>>
}

/** The pid files. */
export class PidFiles extends Context.Tag("helioy/PidFiles")<PidFiles, PidFilesShape>() {}
