/**
 * The one way the bus reads a file of the bus dir: no link followed, no FIFO or device opened for blocking, bounded in
 * size.
 */
import * as fs from "node:fs"
import { describeFileError, errnoOf } from "./fileErrors.js"

/** Why a file was not read. */
export type Refusal = "symlink" | "not-a-file" | "linked" | "foreign" | "too-large" | "unreadable"

/** What reading a bus file found: its text, nothing, or a file the bus will not read (and why). */
export type FileRead =
  | { readonly _tag: "Text"; readonly text: string; readonly size: number }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Refused"; readonly refusal: Refusal; readonly reason: string; readonly links?: number }

/** How much to read. */
export interface ReadLimit {
  /** A file larger than this is refused (`too-large`), unless `head` is set. */
  readonly maxBytes: number
  /** Read only the first `maxBytes` bytes of a larger file instead of refusing it. */
  readonly head?: boolean
  /** Read a file with more than one hard link too (only for files whose content is no secret, like a lock's pid). */
  readonly anyLinks?: boolean
}

const { O_NOFOLLOW, O_NONBLOCK, O_RDONLY } = fs.constants

const refused = (refusal: Refusal, reason: string, links?: number): FileRead =>
  links === undefined ? { _tag: "Refused", refusal, reason } : { _tag: "Refused", refusal, reason, links }

/**
 * Reads a regular file of the bus dir: opened with O_NOFOLLOW | O_NONBLOCK (a symlink, FIFO or device never blocks or
 * leads outside), then refused unless fstat shows a regular file of yours with exactly one link (a hard link to a file
 * elsewhere is refused) and at most `maxBytes` bytes. Never throws.
 */
export const readBusFile = (path: string, limit: ReadLimit): FileRead => {
  let fd: number
  try {
    fd = fs.openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
  } catch (error) {
    const code = errnoOf(error)
    if (code === "ENOENT") return { _tag: "Missing" }
    if (code === "ELOOP") return refused("symlink", "a symlink, which the bus never follows")
    return refused("unreadable", `unreadable (${describeFileError(error, path)})`)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return refused("not-a-file", "not a regular file")
    const uid = process.getuid?.()
    if (uid !== undefined && stat.uid !== uid) return refused("foreign", `owned by uid ${stat.uid}, not by you`)
    if (stat.nlink !== 1 && limit.anyLinks !== true) {
      return refused("linked", `a file with ${stat.nlink} hard links (a link to a file elsewhere)`, stat.nlink)
    }
    if (stat.size > limit.maxBytes && limit.head !== true) {
      return refused("too-large", `${stat.size} bytes, larger than the ${limit.maxBytes} bytes allowed`)
    }
    const want = Math.min(stat.size, limit.maxBytes)
    const buffer = Buffer.alloc(want)
    let filled = 0
    while (filled < want) {
      const read = fs.readSync(fd, buffer, filled, want - filled, filled)
      if (read <= 0) break
      filled += read
    }
    return { _tag: "Text", text: buffer.toString("utf8", 0, filled), size: stat.size }
  } catch (error) {
    return refused("unreadable", `unreadable (${describeFileError(error, path)})`)
  } finally {
    fs.closeSync(fd)
  }
}
