/** Errors of bus-dir file operations: the errno code of a Node error and a sentence a person can act on. */

/** The errno code (`ENOENT`, `ELOOP`, ...) of a Node file-system error, if it has one. */
export const errnoOf = (error: unknown): string | undefined => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === "string" ? code : undefined
}

/** What went wrong with `path`, in words: the cause and what to do about it (falls back to the error's own message). */
export const describeFileError = (error: unknown, path: string): string => {
  switch (errnoOf(error)) {
    case "ENOSPC":
      return `the disk holding ${path} is full; free some space and try again`
    case "EDQUOT":
      return `disk quota exceeded on ${path}; free some space and try again`
    case "EROFS":
      return `${path} is on a read-only file system; make the bus dir writable and try again`
    case "EACCES":
    case "EPERM":
      return `permission denied on ${path}; the bus dir and everything in it must belong to you (directories 0700)`
    case "ELOOP":
      return `${path} is a symlink; the bus never follows links, remove it`
    case "ENOTDIR":
      return `a part of ${path} is not a directory; move it aside`
    case "ENAMETOOLONG":
      return `the name ${path} is too long for the file system`
    case "EEXIST":
      return `${path} already exists`
    case "ENOENT":
      return `${path} does not exist`
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

/** A bus-dir file operation that failed; `reason` says why in words, `code` is the errno code when there was one. */
export class BusFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: string | undefined = undefined
  ) {
    super(reason)
    this.name = "BusFileError"
  }
}

/** Wraps any error of an operation on `path` as a BusFileError (kept as is when it already is one). */
export const asBusFileError = (error: unknown, path: string): BusFileError =>
  error instanceof BusFileError ? error : new BusFileError(path, describeFileError(error, path), errnoOf(error))

/**
 * The `code` field of a store error for `error`: its errno code when it has one (a BusFileError's own), else nothing.
 */
export const codeField = (error: unknown): { readonly code?: string } => {
  const code = error instanceof BusFileError ? error.code : errnoOf(error)
  return code === undefined ? {} : { code }
}
