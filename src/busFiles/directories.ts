/**
 * Directory checks of the bus dir: every directory is opened without following links and must be ours, private and
 * local.
 */
import * as fs from "node:fs"
import { isAbsolute, join, relative, sep } from "node:path"
import { BusFileError, describeFileError, errnoOf } from "./fileErrors.js"

/** The bus dir every checked directory must lie in. */
export interface BusTree {
  /** The bus dir, absolute, as configured. */
  readonly root: string
  /**
   * The device of the bus dir: a directory on another one (a mount planted inside) is refused; undefined skips the
   * check.
   */
  readonly device: number | undefined
}

const { O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY } = fs.constants

/** What opening one directory found: fine, missing, or unusable (and why). */
type Inspection = { readonly _tag: "Ok" } | { readonly _tag: "Missing" } | {
  readonly _tag: "Unusable"
  readonly reason: string
  readonly code?: string
}

const ok: Inspection = { _tag: "Ok" }

const ownUid = () => process.getuid?.()

const openProblem = (path: string, error: unknown): Inspection => {
  const code = errnoOf(error)
  if (code === "ENOENT") return { _tag: "Missing" }
  if (code === "ELOOP" || (code === "ENOTDIR" && isSymlink(path))) {
    return {
      _tag: "Unusable",
      code: "ELOOP",
      reason: `${path} is a symlink; the bus never follows links out of the bus dir, remove it`
    }
  }
  if (code === "ENOTDIR") return { _tag: "Unusable", code, reason: `${path} is not a directory; move it aside` }
  return { _tag: "Unusable", reason: describeFileError(error, path), ...(code === undefined ? {} : { code }) }
}

const isSymlink = (path: string) => {
  try {
    return fs.lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * Opens one directory (no link followed) and checks it: a directory, yours, not group- or world-writable, on the bus
 * dir's device.
 */
const inspect = (tree: BusTree, path: string): Inspection => {
  let fd: number
  try {
    fd = fs.openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK)
  } catch (error) {
    return openProblem(path, error)
  }
  try {
    const stat = fs.fstatSync(fd)
    const uid = ownUid()
    if (!stat.isDirectory()) return { _tag: "Unusable", reason: `${path} is not a directory; move it aside` }
    if (uid !== undefined && stat.uid !== uid) {
      return {
        _tag: "Unusable",
        reason: `${path} belongs to uid ${stat.uid}, not to you; the bus uses only directories of its own user`
      }
    }
    if ((stat.mode & 0o022) !== 0) {
      return {
        _tag: "Unusable",
        reason: `${path} is group- or world-writable (mode ${
          (stat.mode & 0o777).toString(8)
        }); run: chmod 700 '${path}'`
      }
    }
    if (tree.device !== undefined && stat.dev !== tree.device) {
      return {
        _tag: "Unusable",
        reason: `${path} is on another file system than the bus dir (a mount inside it); remove it`
      }
    }
    return ok
  } catch (error) {
    return openProblem(path, error)
  } finally {
    fs.closeSync(fd)
  }
}

/** The directories from the bus dir down to `path`, the bus dir first; throws when `path` is not inside the bus dir. */
const chain = (tree: BusTree, path: string): ReadonlyArray<string> => {
  const rest = relative(tree.root, path)
  if (rest === "") return [tree.root]
  if (isAbsolute(rest) || rest === ".." || rest.startsWith(`..${sep}`)) {
    throw new BusFileError(path, `${path} is outside the bus dir ${tree.root}`)
  }
  const dirs = [tree.root]
  for (const part of rest.split(sep)) dirs.push(join(dirs[dirs.length - 1]!, part))
  return dirs
}

/**
 * Checks every directory from the bus dir down to `path` (none a symlink, all yours, private, on one device); with
 * `create`, makes missing ones (0700). Returns false when one is missing and not created; throws BusFileError
 * saying which directory is unusable and why. Directories in `passed` (found fine earlier in the same operation, e.g.
 * one fan-out) are not looked at again; each one found fine is added to it.
 */
export const checkDirectory = (tree: BusTree, path: string, create: boolean, passed?: Set<string>): boolean => {
  for (const dir of chain(tree, path)) {
    if (passed?.has(dir)) continue
    let found = inspect(tree, dir)
    if (found._tag === "Missing" && create && dir !== tree.root) {
      try {
        fs.mkdirSync(dir, { mode: 0o700 })
        fs.chmodSync(dir, 0o700)
      } catch (error) {
        if (errnoOf(error) !== "EEXIST") throw new BusFileError(dir, describeFileError(error, dir), errnoOf(error))
      }
      found = inspect(tree, dir)
    }
    if (found._tag === "Missing") {
      if (create) throw new BusFileError(dir, `${dir} does not exist`, "ENOENT")
      return false
    }
    if (found._tag === "Unusable") throw new BusFileError(dir, found.reason, found.code)
    passed?.add(dir)
  }
  return true
}

/**
 * The bus tree rooted at an existing directory `root` (its device read now); throws BusFileError when it is unusable.
 */
export const openBusTree = (root: string): BusTree => {
  const tree: BusTree = { root, device: undefined }
  checkDirectory(tree, root, false)
  return { root, device: fs.statSync(root).dev }
}
