import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join, resolve } from "node:path"
import { BusConfig } from "../services/BusConfig.js"
import { BusDirCheck, type BusDirCheckShape } from "../services/BusDirCheck.js"
import { checkSafe } from "./BusDirLive.js"

/** Whether anything, a dangling symlink included, is at `path`. */
const present = (path: string) => {
  try {
    fs.lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** Checks the configured bus dir with `BusDirLive.checkSafe`, the server's own rules, creating nothing. */
export const make = Effect.gen(function*() {
  const root = resolve((yield* BusConfig).busDir)
  return {
    inspect: Effect.gen(function*() {
      if (!present(root)) return { root, exists: false }
      const subdirs = ["inbox", "pids", "presets"].map((name) => join(root, name)).filter(present)
      yield* Effect.forEach([root, ...subdirs], checkSafe, { discard: true })
      return { root, exists: true }
    }).pipe(Effect.withSpan("BusDirCheck.inspect"))
  } satisfies BusDirCheckShape
})

/** The read-only bus dir check over the real filesystem. */
export const layer = Layer.effect(BusDirCheck, make)
