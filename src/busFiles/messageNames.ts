/** Names the bus gives to the files of an inbox, and how it tells them apart from anything else found there. */

/** An unread message's file name as every reader lists it: `*.json`, no leading dot. */
export const isMessageFileName = (name: string): boolean => name.endsWith(".json") && !name.startsWith(".")

/**
 * A name the bus (this one or the Python one) gives a message file: `<sent_at, ':' as '-'>_<first 8 of id>.json`,
 * e.g. `2026-03-16T12-00-00.123456+00-00_1a2b3c4d.json`. Only such files are ever deleted by pruning.
 */
const busMessageName =
  /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{1,9})?(?:[+-]\d{2}-\d{2}|Z)?_[0-9A-Za-z-]{1,8}\.json$/

/** Whether a file name is one the bus itself gives message files. */
export const isBusMessageName = (name: string): boolean => busMessageName.test(name)

/** The name a claimer holds a message under in `claimed/`: `<pid>.<file>`. */
export const claimedName = (pid: number, file: string): string => `${pid}.${file}`

/** The holder pid and message file of a `claimed/` entry, or undefined when the entry is not one the bus made. */
export const parseClaimedName = (entry: string): { readonly pid: number; readonly file: string } | undefined => {
  const dot = entry.indexOf(".")
  if (dot <= 0) return undefined
  const pid = Number(entry.slice(0, dot))
  const file = entry.slice(dot + 1)
  return /^\d+$/.test(entry.slice(0, dot)) && pid > 0 && isMessageFileName(file) ? { pid, file } : undefined
}
