import { Layer } from "effect"
import { join } from "node:path"
import type { AgentId } from "../domain/AgentId.js"
import { BusDir } from "../services/BusDir.js"

/** Bus dir paths under `root`, computed only: nothing is created or checked. */
export const layerTest = (root: string) =>
  Layer.succeed(BusDir, {
    root,
    registryDb: join(root, "registry.db"),
    inboxRoot: join(root, "inbox"),
    pidsDir: join(root, "pids"),
    presetsDir: join(root, "presets"),
    inboxDir: (agentId: AgentId) => join(root, "inbox", agentId),
    tree: { root, device: undefined }
  })
