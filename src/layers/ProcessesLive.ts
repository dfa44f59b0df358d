import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { processExists } from "../busFiles/processLiveness.js"
import { procCommand, type ProcessSource, processSource, procParent, psCommand, psParent } from "../os/parentProcess.js"
import { Processes, type ProcessesShape } from "../services/Processes.js"

export { processExists } from "../busFiles/processLiveness.js"

const isExecutableFile = (path: string): boolean => {
  try {
    fs.accessSync(path, fs.constants.X_OK)
    return fs.statSync(path).isFile()
  } catch {
    return false
  }
}

/** The process table read from `source` (`/proc`, or `ps` where there is none) and signal 0; never fails. */
export const make = (source: ProcessSource): ProcessesShape => {
  const parent = source === "proc" ? procParent : psParent
  const command = source === "proc" ? procCommand : psCommand
  return {
    self: process.pid,
    parentOf: (pid) => Effect.sync(() => Option.fromNullable(pid === process.pid ? process.ppid : parent(pid))),
    commandOf: (pid) => Effect.sync(() => Option.fromNullable(command(pid))),
    isAlive: (pid) => Effect.sync(() => processExists(pid)),
    userId: process.getuid?.(),
    findExecutable: (name, searchPath) =>
      Effect.sync(() => {
        const candidates = name.includes("/")
          ? [name]
          : searchPath.split(":").filter((dir) => dir !== "").map((dir) => join(dir, name))
        return Option.fromNullable(candidates.find(isExecutableFile))
      })
  }
}

/** The live process table: `/proc` where it exists, else `ps`, chosen when the layer is built. */
export const layer = Layer.sync(Processes, () => make(processSource()))

/** The process table read through `ps` alone (what systems without `/proc` use). */
export const layerPs = Layer.succeed(Processes, make("ps"))

/** The process table read through `/proc` alone. */
export const layerProc = Layer.succeed(Processes, make("proc"))
