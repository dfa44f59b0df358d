/**
 * Pruning of an inbox's `archive/`: only message files the bus named, only inside a checked directory, no link
 * followed.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { type BusTree, checkDirectory } from "./directories.js"
import { isBusMessageName } from "./messageNames.js"

/**
 * Deletes the entries of `archiveDir` older than `ttlMillis` (by mtime) that are regular files named like a bus
 * message file; anything else there is left alone. Does nothing when the directory is missing or unusable (a
 * symlink, another user's). Returns how many files it deleted; never throws.
 */
export const pruneArchive = (tree: BusTree, archiveDir: string, now: number, ttlMillis: number): number => {
  let names: Array<string>
  let identity: fs.Stats
  try {
    if (!checkDirectory(tree, archiveDir, false)) return 0
    identity = fs.lstatSync(archiveDir)
    names = fs.readdirSync(archiveDir)
  } catch {
    return 0
  }
  // The directory checked is the one pruned: had it been swapped for a link since, nothing more is deleted.
  const unchanged = () => {
    try {
      const now = fs.lstatSync(archiveDir)
      return now.isDirectory() && now.ino === identity.ino && now.dev === identity.dev
    } catch {
      return false
    }
  }
  let deleted = 0
  for (const name of names) {
    if (!isBusMessageName(name)) continue
    const path = join(archiveDir, name)
    try {
      const stat = fs.lstatSync(path)
      if (!stat.isFile() || now - stat.mtimeMs <= ttlMillis) continue
      if (!unchanged()) return deleted
      fs.unlinkSync(path)
      deleted++
    } catch {
      continue
    }
  }
  return deleted
}
