import { Effect, Either, Layer, Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { replaceFileAtomically } from "../busFiles/atomicWrite.js"
import { readBusFile } from "../busFiles/boundedRead.js"
import { checkDirectory } from "../busFiles/directories.js"
import { codeField } from "../busFiles/fileErrors.js"
import { type AgentId, validateAgentId } from "../domain/AgentId.js"
import { MailboxUnavailable } from "../errors/stores.js"
import { BusDir } from "../services/BusDir.js"
import { PidFiles, type PidFilesShape } from "../services/PidFiles.js"

/** A pid file holds an agent id: anything longer is not one. */
const maxPidFileBytes = 4096

/**
 * Builds the pid files under `pids/` (the directory checked on every use, no link followed): only a failed write
 * fails; missing, unusable or unreadable files, and files that hold no valid id, read as none.
 */
export const make = Effect.gen(function*() {
  const { pidsDir, tree } = yield* BusDir
  const path = (pid: number) => join(pidsDir, String(pid))
  /** Whether `pids/` is a usable directory of the bus (false when missing or unsafe). */
  const usable = () => {
    try {
      return checkDirectory(tree, pidsDir, false)
    } catch {
      return false
    }
  }
  const readAgent = (file: string): Option.Option<AgentId> => {
    const read = readBusFile(file, { maxBytes: maxPidFileBytes })
    return read._tag === "Text" ? Either.getRight(validateAgentId(read.text.trim())) : Option.none()
  }
  return {
    write: (pid, agentId) =>
      Effect.tryPromise({
        try: async () => {
          checkDirectory(tree, pidsDir, true)
          await replaceFileAtomically(pidsDir, String(pid), agentId)
        },
        catch: (error) =>
          new MailboxUnavailable({
            agentId,
            reason: `cannot write ${path(pid)}: ${(error as Error).message}`,
            ...codeField(error),
            cause: error
          })
      }),
    read: (pid) => Effect.sync(() => usable() ? readAgent(path(pid)) : Option.none()),
    remove: (pid) => Effect.sync(() => usable() && fs.rmSync(path(pid), { force: true })),
    list: Effect.sync(() => {
      if (!usable()) return []
      let names: Array<string>
      try {
        names = fs.readdirSync(pidsDir)
      } catch {
        return []
      }
      return names.filter((name) => /^\d+$/.test(name)).map((name) => ({
        pid: Number(name),
        agentId: readAgent(join(pidsDir, name))
      }))
    })
  } satisfies PidFilesShape
})

/** Pid files on disk. */
export const layer = Layer.effect(PidFiles, make)
