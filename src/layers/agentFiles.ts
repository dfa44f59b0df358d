/** Reading the agent files the catalogue scans: directory listings and bounded file reads that never throw. */
import { Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"

/** Agent files larger than this are not agent definitions; they are skipped unread. */
const maxAgentFileBytes = 1024 * 1024

/** The names in a directory, sorted; none when it cannot be read. */
export const entriesOf = (dir: string): ReadonlyArray<string> => {
  try {
    return fs.readdirSync(dir).sort()
  } catch {
    return []
  }
}

/** Whether `path` is a directory (links followed); false when it cannot be read. */
export const isDirectory = (path: string): boolean => {
  try {
    return fs.statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** The `*.md` files directly in a directory (not hidden ones), as paths. */
export const markdownFiles = (dir: string): ReadonlyArray<string> =>
  entriesOf(dir).filter((name) => name.endsWith(".md") && !name.startsWith(".")).map((name) => join(dir, name))

/** A regular file's text and mtime; none when it cannot be read or is too large. */
export const readAgentFile = (path: string): Option.Option<{ readonly text: string; readonly mtimeMs: number }> => {
  try {
    const stat = fs.statSync(path)
    if (!stat.isFile() || stat.size > maxAgentFileBytes) return Option.none()
    return Option.some({ text: fs.readFileSync(path, "utf8"), mtimeMs: stat.mtimeMs })
  } catch {
    return Option.none()
  }
}
