/** Reading the plugin's and the data dir's files without throwing (dependency-free, like the rest of plugin/). */
import * as fs from "node:fs"
import { join } from "node:path"

/** A file's text; "" when it cannot be read. */
export const readText = (path) => {
  try {
    return fs.readFileSync(path, "utf8")
  } catch {
    return ""
  }
}

/** A JSON file's value; undefined when it cannot be read or parsed. */
export const readJson = (path) => {
  try {
    return JSON.parse(fs.readFileSync(path, "utf8"))
  } catch {
    return undefined
  }
}

/** Where better-sqlite3's compiled module sits under `dir`. */
export const nativeModule = (dir) =>
  join(dir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node")
