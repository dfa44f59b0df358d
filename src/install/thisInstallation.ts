import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Installation } from "./Installation.js"

const isOurPackage = (dir: string): boolean => {
  try {
    return (JSON.parse(fs.readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown }).name === "helioy-bus"
  } catch {
    return false
  }
}

/** The root of this helioy-bus package: the nearest directory above this module whose package.json is ours. */
const packageRoot = (): string | undefined => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    if (isOurPackage(dir)) return dir
  }
  return undefined
}

/**
 * This installation: the running node (`process.execPath`) and the real path of `bin/helioy-bus.js` of the package
 * this module belongs to (the running script when the package cannot be found). Never fails.
 */
export const thisInstallation = (): Installation => {
  const root = packageRoot()
  const bin = root === undefined ? process.argv[1] ?? "helioy-bus" : join(root, "bin", "helioy-bus.js")
  let real = bin
  try {
    real = fs.realpathSync(bin)
  } catch {
    // keep the path as found
  }
  return { node: process.execPath, bin: real }
}
