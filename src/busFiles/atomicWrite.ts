/**
 * The one way the bus writes a file: a temporary name in the same directory (created O_EXCL | O_NOFOLLOW, so a planted
 * link is never written through), written in full, fsynced, then linked (create) or renamed (replace) into place, and
 * the directory fsynced. A reader sees the whole file or nothing.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import { basename, dirname, join } from "node:path"
import { promisify } from "node:util"
import { asBusFileError, BusFileError } from "./fileErrors.js"

const { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = fs.constants

const fsync = promisify(fs.fsync)

const tempPattern = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/

/** The temporary name a write of `name` uses: a leading dot, the writer's pid, random, `.tmp` (never `.json`). */
export const tempName = (name: string) => `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`

/** The pid of the process that wrote a temporary file of this name, or undefined when the name is not one. */
export const tempFileWriter = (entry: string): number | undefined => {
  const match = tempPattern.exec(entry)
  return match ? Number(match[1]) : undefined
}

/** Whether `entry` is the temporary file of a write of `name` still being put into place. */
export const isTempFileOf = (entry: string, name: string): boolean =>
  entry.startsWith(`.${name}.`) && tempFileWriter(entry) !== undefined

/**
 * Whether the file at `path` has exactly two links and the other is the temporary name of its own write, which its
 * writer removes right after linking it into place: both names lie in one directory, so no file elsewhere is linked.
 */
export const isBeingPublished = (path: string): boolean => {
  try {
    const stat = fs.lstatSync(path)
    if (!stat.isFile() || stat.nlink !== 2) return false
    const dir = dirname(path)
    return fs.readdirSync(dir).some((entry) => {
      if (!isTempFileOf(entry, basename(path))) return false
      const temp = fs.lstatSync(join(dir, entry))
      return temp.ino === stat.ino && temp.dev === stat.dev
    })
  } catch {
    return false
  }
}

const noSpace = (path: string) =>
  new BusFileError(path, `the disk holding ${path} is full; free some space and try again`, "ENOSPC")

/** A temporary file written in full but not yet fsynced: its path, its open descriptor, its length. */
export interface WrittenTemp {
  readonly temp: string
  readonly fd: number
  readonly size: number
}

/**
 * Writes `data` to a new temporary file in `dir` (mode `mode` exactly, whatever the umask) and leaves it open for
 * `syncTemp`; a short write is a full disk. Throws BusFileError; nothing is left behind on failure.
 */
export const writeTemp = (dir: string, name: string, data: string | Uint8Array, mode: number): WrittenTemp => {
  const temp = join(dir, tempName(name))
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data
  let fd: number
  try {
    fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
  } catch (error) {
    throw asBusFileError(error, dir)
  }
  try {
    fs.fchmodSync(fd, mode)
    // A write returns how much it wrote: on a full file system that is short, without an error. Write until done.
    for (let offset = 0; offset < bytes.length;) {
      const written = fs.writeSync(fd, bytes, offset, bytes.length - offset, offset)
      if (written <= 0) throw noSpace(dir)
      offset += written
    }
    return { temp, fd, size: bytes.length }
  } catch (error) {
    fs.closeSync(fd)
    fs.rmSync(temp, { force: true })
    throw asBusFileError(error, dir)
  }
}

/**
 * Fsyncs and closes a written temporary file and returns its path. Throws BusFileError; nothing is left behind on
 * failure.
 */
export const syncTemp = async ({ fd, size, temp }: WrittenTemp): Promise<string> => {
  const dir = dirname(temp)
  try {
    // Only the fsync waits on the disk: it runs off the event loop.
    await fsync(fd)
    if (fs.fstatSync(fd).size !== size) throw noSpace(dir)
    return temp
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw asBusFileError(error, dir)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Writes `data` to a new temporary file in `dir` (mode `mode` exactly, whatever the umask), fsynced, and returns its
 * path; a short write is a full disk. Throws BusFileError; nothing is left behind on failure.
 */
export const stageFile = (dir: string, name: string, data: string | Uint8Array, mode: number): Promise<string> => {
  try {
    return syncTemp(writeTemp(dir, name, data, mode))
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * Links a staged file to `target`; fails with EEXIST (never overwrites) when the name is taken. Throws BusFileError.
 */
export const publishStaged = (temp: string, target: string): void => {
  try {
    fs.linkSync(temp, target)
  } catch (error) {
    throw asBusFileError(error, target)
  }
}

/** Removes a staged file (whether or not it was published). */
export const discardStaged = (temp: string): void => fs.rmSync(temp, { force: true })

/** Fsyncs a directory so that the names just linked or renamed in it survive a crash. Throws BusFileError. */
export const syncDirectory = async (dir: string): Promise<void> => {
  let fd: number
  try {
    fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
  } catch (error) {
    throw asBusFileError(error, dir)
  }
  try {
    await fsync(fd)
  } catch (error) {
    throw asBusFileError(error, dir)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Creates `dir/name` atomically with `data` (mode 0600 by default); fails, overwriting nothing, when it exists. Throws
 * BusFileError.
 */
export const createFileAtomically = async (
  dir: string,
  name: string,
  data: string | Uint8Array,
  mode = 0o600
): Promise<void> => {
  const temp = await stageFile(dir, name, data, mode)
  try {
    publishStaged(temp, join(dir, name))
  } finally {
    discardStaged(temp)
  }
  await syncDirectory(dir)
}

/** How a replacement treats the final directory fsync. */
export interface ReplaceOptions {
  /** The file's mode (default 0600). */
  readonly mode?: number
  /** Ignore a directory that cannot be opened for fsync (default false: it fails the write). */
  readonly directorySyncOptional?: boolean
}

/**
 * Replaces (or creates) `dir/name` atomically with `data`: a reader sees the old file or the new one. Throws
 * BusFileError.
 */
export const replaceFileAtomically = async (
  dir: string,
  name: string,
  data: string | Uint8Array,
  options: ReplaceOptions = {}
): Promise<void> => {
  const temp = await stageFile(dir, name, data, options.mode ?? 0o600)
  try {
    fs.renameSync(temp, join(dir, name))
  } catch (error) {
    discardStaged(temp)
    throw asBusFileError(error, join(dir, name))
  }
  await syncDirectory(dir).catch((error: unknown) => {
    if (options.directorySyncOptional !== true) throw error
  })
}
