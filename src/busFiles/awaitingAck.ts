/**
 * The awaiting-acknowledgement list of one inbox on disk: an empty marker `awaiting/<message file>.ack` per message
 * read with `ack_required` and not yet acknowledged, so that a hook can count them with one directory listing.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { type BusTree, checkDirectory } from "./directories.js"
import { readMessageHead } from "./messageHead.js"
import { isMessageFileName } from "./messageNames.js"

const markerSuffix = ".ack"

/** The message file a marker stands for, or undefined when the entry is no marker. */
const markedFile = (entry: string): string | undefined => {
  if (!entry.endsWith(markerSuffix)) return undefined
  const file = entry.slice(0, -markerSuffix.length)
  return isMessageFileName(file) ? file : undefined
}

/**
 * Puts the archived message file `file` of the inbox `dir` on its awaiting list (creating `awaiting/`); returns false
 * when it could not. Never throws.
 */
export const markAwaiting = (tree: BusTree, dir: string, file: string): boolean => {
  try {
    const awaiting = join(dir, "awaiting")
    checkDirectory(tree, awaiting, true)
    fs.closeSync(fs.openSync(join(awaiting, file + markerSuffix), "wx", 0o600))
    return true
  } catch {
    return false
  }
}

/**
 * The ids of the messages on the awaiting list of the inbox `dir`, oldest first. A marker whose archived message is
 * gone (pruned with the archive) is removed: the list follows the archive's TTL. Never throws.
 */
export const awaitingIds = (tree: BusTree, dir: string): ReadonlyArray<string> => {
  const awaiting = join(dir, "awaiting")
  let names: Array<string>
  try {
    if (!checkDirectory(tree, awaiting, false)) return []
    names = fs.readdirSync(awaiting).sort()
  } catch {
    return []
  }
  const ids: Array<string> = []
  for (const entry of names) {
    const file = markedFile(entry)
    if (file === undefined) continue
    const head = readMessageHead(join(dir, "archive", file))
    if (head !== undefined && head.id !== "") ids.push(head.id)
    else if (!fs.existsSync(join(dir, "archive", file))) fs.rmSync(join(awaiting, entry), { force: true })
  }
  return ids
}

/** How many markers the awaiting list of the inbox `dir` holds (without reading them). Never throws. */
export const awaitingCount = (tree: BusTree, dir: string): number => {
  const awaiting = join(dir, "awaiting")
  try {
    return checkDirectory(tree, awaiting, false)
      ? fs.readdirSync(awaiting).filter((entry) => markedFile(entry) !== undefined).length
      : 0
  } catch {
    return 0
  }
}

/** Takes message `messageId` off the awaiting list of the inbox `dir`; does nothing when it is not on it. Never throws. */
export const clearAwaiting = (tree: BusTree, dir: string, messageId: string): void => {
  const awaiting = join(dir, "awaiting")
  const suffix = `_${messageId.slice(0, 8)}.json${markerSuffix}`
  try {
    if (!checkDirectory(tree, awaiting, false)) return
    for (const entry of fs.readdirSync(awaiting)) {
      const file = markedFile(entry)
      if (file === undefined || !entry.endsWith(suffix)) continue
      const head = readMessageHead(join(dir, "archive", file))
      if (head === undefined || head.id === messageId) fs.rmSync(join(awaiting, entry), { force: true })
    }
  } catch {
    return
  }
}
