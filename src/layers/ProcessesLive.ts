import * as fs from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { processExists } from "../busFiles/processLiveness.js"
import { Processes, type ProcessesShape } from "../services/Processes.js"

export { processExists } from "../busFiles/processLiveness.js"

const parentFromProc = (pid: number): Option.Option<number> => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    const parent = Number(fields[1])
    return Number.isInteger(parent) && parent > 0 ? Option.some(parent) : Option.none()
  } catch {
    return Option.none()
  }
}

const isExecutableFile = (path: string): boolean => {
  try {
    fs.accessSync(path, fs.constants.X_OK)
    return fs.statSync(path).isFile()
  } catch {
    return false
  }
}

/** The process table through `/proc` and signal 0; never fails. */
export const make: ProcessesShape = {
  self: process.pid,
  parentOf: (pid) => Effect.sync(() => pid === process.pid ? Option.some(process.ppid) : parentFromProc(pid)),
  commandOf: (pid) =>
    Effect.sync(() => {
      try {
        return Option.some(fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim())
      } catch {
        return Option.none()
      }
    }),
  isAlive: (pid) => Effect.sync(() => processExists(pid)),
  userId: process.getuid?.(),
  findExecutable: (name, searchPath) =>
    Effect.sync(() => {
      const candidates = name.includes("/") ? [name] : searchPath.split(":").filter((dir) => dir !== "").map((dir) => join(dir, name))
      return Option.fromNullable(candidates.find(isExecutableFile))
    })
}

/** The live process table. */
export const layer = Layer.succeed(Processes, make)
