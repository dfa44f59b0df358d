import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const findVersion = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 5; depth++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string
        version?: string
      }
      if (manifest.name === "helioy-bus" && manifest.version) return manifest.version
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir)
  }
  return "0.0.0"
}

/** This package's version, from the nearest helioy-bus package.json above this file ("0.0.0" if none is found). */
export const version: string = findVersion()
