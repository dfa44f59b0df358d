/**
 * Lock files holding their owner's pid (the mail waiter of an inbox, the delivery lock near the unread cap): taken by
 * linking a complete file into place, so a lock is never seen empty; broken only when its owner is dead.
 */
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { tempName } from "./atomicWrite.js"
import { readBusFile } from "./boundedRead.js"
import { asBusFileError, BusFileError, errnoOf } from "./fileErrors.js"
import { processExists } from "./processLiveness.js"

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } = fs.constants

/** The pid recorded in a lock file, or undefined when there is none (missing, not a plain file, not a pid). */
export const lockHolder = (path: string): number | undefined => {
  // While it is being linked into place a lock has two links, its temporary name and its own.
  const read = readBusFile(path, { maxBytes: 32, anyLinks: true })
  if (read._tag !== "Text") return undefined
  const pid = Number(read.text.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/** Whether a live process holds the lock at `path`. */
export const lockHeld = (path: string): boolean => {
  const pid = lockHolder(path)
  return pid !== undefined && processExists(pid)
}

/** Links a complete lock file holding this pid into place: true when done, false when the name is taken. */
const linkLock = (path: string): boolean => {
  const temp = join(dirname(path), tempName("lock"))
  try {
    const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
    try {
      fs.writeSync(fd, String(process.pid))
    } finally {
      fs.closeSync(fd)
    }
  } catch (error) {
    throw asBusFileError(error, dirname(path))
  }
  try {
    fs.linkSync(temp, path)
    return true
  } catch (error) {
    if (errnoOf(error) === "EEXIST") return false
    throw asBusFileError(error, path)
  } finally {
    fs.rmSync(temp, { force: true })
  }
}

/** Moves a dead owner's lock out of the way, unless a live one took its place after `seen` was looked at. */
const breakStale = (path: string, seen: fs.Stats) => {
  const aside = join(dirname(path), tempName("stale-lock"))
  try {
    fs.renameSync(path, aside)
  } catch {
    return
  }
  try {
    if (fs.lstatSync(aside).ino !== seen.ino) {
      // A live owner locked between our look and the move: its lock goes back.
      fs.linkSync(aside, path)
    }
  } catch {
    // It was taken again meanwhile; the new owner holds it.
  } finally {
    fs.rmSync(aside, { force: true })
  }
}

/**
 * Takes the lock at `path` for this process: true when taken, false when a live process holds it. A lock of a dead
 * process is broken; a symlink planted at the lock's name is removed (never followed). Throws BusFileError when
 * the directory cannot be written or something that is not a lock file sits at the name.
 */
export const tryLock = (path: string): boolean => {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (linkLock(path)) return true
    let seen: fs.Stats
    try {
      seen = fs.lstatSync(path)
    } catch {
      continue
    }
    if (seen.isSymbolicLink()) {
      fs.rmSync(path, { force: true })
      continue
    }
    if (!seen.isFile()) throw new BusFileError(path, `${path} is not a lock file; move it aside`)
    const owner = lockHolder(path)
    if (owner !== undefined && processExists(owner)) return false
    // Unreadable or dead: a lock file is complete from the moment it exists, so no content means no owner.
    breakStale(path, seen)
  }
  return false
}

/** Releases the lock at `path` if this process holds it. */
export const releaseLock = (path: string): void => {
  if (lockHolder(path) === process.pid) fs.rmSync(path, { force: true })
}
