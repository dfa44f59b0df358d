import * as fs from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { MailboxUnavailable } from "../domain/errors.js"
import { BusDir } from "../services/BusDir.js"
import { PidFiles, type PidFilesShape } from "../services/PidFiles.js"

/** Builds the pid files under `pids/`; only a failed write fails, reads of missing files are empty. */
export const make = Effect.gen(function*() {
  const { pidsDir } = yield* BusDir
  const path = (pid: number) => join(pidsDir, String(pid))
  return {
    write: (pid, agentId) =>
      Effect.try({
        try: () => {
          const temp = `${path(pid)}.${process.pid}.tmp`
          fs.writeFileSync(temp, agentId, { mode: 0o600 })
          fs.renameSync(temp, path(pid))
        },
        catch: (error) => new MailboxUnavailable({ agentId, reason: `cannot write ${path(pid)}: ${(error as Error).message}` })
      }),
    read: (pid) =>
      Effect.sync(() => {
        try {
          const content = fs.readFileSync(path(pid), "utf8").trim()
          return content === "" ? Option.none() : Option.some(content)
        } catch {
          return Option.none()
        }
      }),
    remove: (pid) => Effect.sync(() => fs.rmSync(path(pid), { force: true })),
    list: Effect.sync(() => {
      let names: Array<string>
      try {
        names = fs.readdirSync(pidsDir)
      } catch {
        return []
      }
      return names.filter((name) => /^\d+$/.test(name)).flatMap((name) => {
        try {
          return [{ pid: Number(name), agentId: fs.readFileSync(join(pidsDir, name), "utf8").trim() }]
        } catch {
          return []
        }
      })
    })
  } satisfies PidFilesShape
})

/** Pid files on disk. */
export const layer = Layer.effect(PidFiles, make)
