/**
 * Finding the copies of messages in one inbox on disk, read or unread, by id: in the inbox, in `claimed/` (held by a
 * reader, still unread), in `archive/` (read) or in `quarantine/`. Every directory is checked and every file read as
 * claims read them (no link followed).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import type { Message } from "../domain/Message.js"
import { formatMillis } from "../domain/Timestamp.js"
import { readBusFile } from "./boundedRead.js"
import { type BusTree, checkDirectory } from "./directories.js"
import { isMessageFileName, parseClaimedName } from "./messageNames.js"

/** What finding messages needs to know of one mailbox. */
export interface InboxFiles {
  readonly tree: BusTree
  readonly fileLimit: number
  readonly decode: (text: string) => Message | undefined
}

/** One copy of a message found on disk. */
export interface FoundCopy {
  readonly state: "unread" | "read" | "quarantined"
  /** When a read copy was archived (its status change time), epoch milliseconds. */
  readonly changedAt: number
  readonly message: Message | undefined
}

/** The entries of `dir` when it is a usable directory; none when missing or unusable. */
const entries = (tree: BusTree, dir: string): ReadonlyArray<string> => {
  try {
    return checkDirectory(tree, dir, false) ? fs.readdirSync(dir) : []
  } catch {
    return []
  }
}

const readCopy = (files: InboxFiles, path: string): { message: Message | undefined; changedAt: number } => {
  const read = readBusFile(path, { maxBytes: files.fileLimit })
  let changedAt = 0
  try {
    changedAt = fs.lstatSync(path).ctimeMs
  } catch {
    changedAt = 0
  }
  return { message: read._tag === "Text" ? files.decode(read.text) : undefined, changedAt }
}

/** The places of an inbox's messages, with the state a copy found there is in and its file name. */
const places = (files: InboxFiles, dir: string) => {
  const inbox = entries(files.tree, dir).filter(isMessageFileName)
  const claimed = entries(files.tree, join(dir, "claimed")).flatMap((entry) => {
    const parsed = parseClaimedName(entry)
    return parsed === undefined ? [] : [{ path: join(dir, "claimed", entry), file: parsed.file }]
  })
  const inDir = (sub: string) =>
    entries(files.tree, join(dir, sub)).filter(isMessageFileName).map((file) => ({ path: join(dir, sub, file), file }))
  return [
    ...inbox.map((file) => ({ state: "unread" as const, path: join(dir, file), file })),
    ...claimed.map((place) => ({ state: "unread" as const, ...place })),
    ...inDir("archive").map((place) => ({ state: "read" as const, ...place })),
    ...inDir("quarantine").map((place) => ({ state: "quarantined" as const, ...place }))
  ]
}

/**
 * The copy of message `messageId` in the inbox `dir` (its file name ends in the id's first 8 characters; the id in the
 * file decides, except in quarantine, where the name alone does); undefined when there is none. Never throws.
 */
export const findCopy = (files: InboxFiles, dir: string, messageId: string): FoundCopy | undefined => {
  const suffix = `_${messageId.slice(0, 8)}.json`
  for (const place of places(files, dir)) {
    if (!place.file.endsWith(suffix)) continue
    const copy = readCopy(files, place.path)
    if (place.state === "quarantined" && copy.message === undefined) {
      return { state: place.state, changedAt: copy.changedAt, message: undefined }
    }
    if (copy.message?.id === messageId) return { state: place.state, ...copy }
  }
  return undefined
}

/** Every message of the inbox `dir` that still reads, unread and archived, oldest first. Never throws. */
export const inboxHistory = (
  files: InboxFiles,
  dir: string
): ReadonlyArray<{ readonly message: Message; readonly state: "unread" | "read" }> =>
  places(files, dir)
    .flatMap((place) => {
      if (place.state === "quarantined") return []
      const message = readCopy(files, place.path).message
      return message === undefined ? [] : [{ message, state: place.state }]
    })
    .sort((a, b) => a.message.sent_at < b.message.sent_at ? -1 : a.message.sent_at > b.message.sent_at ? 1 : 0)

/** A found copy's archive time as a reference timestamp. */
export const readTimestamp = (copy: FoundCopy): string => formatMillis(Math.floor(copy.changedAt))
