/**
 * Claiming from one inbox on disk: every file read safely and claimed by renaming it into `claimed/<pid>.<file>`,
 * within a count limit and a byte budget; bad files quarantined; what a dead claimer (or a lost directory) left
 * put back; held files settled into `archive/` or back into the inbox.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { pruneArchive } from "../busFiles/archivePrune.js"
import { isBeingPublished } from "../busFiles/atomicWrite.js"
import { markAwaiting } from "../busFiles/awaitingAck.js"
import { type FileRead, readBusFile } from "../busFiles/boundedRead.js"
import { countRemaining, urgentFirst } from "../busFiles/claimOrder.js"
import { type BusTree, checkDirectory } from "../busFiles/directories.js"
import { BusFileError, errnoOf } from "../busFiles/fileErrors.js"
import { claimedName, isMessageFileName, parseClaimedName } from "../busFiles/messageNames.js"
import { processExists } from "../busFiles/processLiveness.js"
import type { Message } from "../domain/Message.js"
import { fitsRead, replyBytes } from "../domain/ReadLimits.js"
import type { QuarantinedFile } from "../services/Mailbox.js"

/** What claiming needs to know, shared by every read of one mailbox. */
export interface InboxReader {
  readonly tree: BusTree
  /** A file larger than this is no message. */
  readonly fileLimit: number
  readonly ttlMillis: number
  readonly decode: (text: string) => Message | undefined
  /** The `claimed/` paths this process holds and has not settled. */
  readonly inFlight: Set<string>
  /** When each inbox's archive was last pruned. */
  readonly lastPrune: Map<string, number>
}

/** A message this process holds in `claimed/`. */
export interface HeldFile {
  readonly path: string
  readonly name: string
  /** The message asks for an acknowledgement: once archived, it goes on the awaiting list. */
  readonly awaitsAck: boolean
}

/** What one claim took and left. */
export interface TakenFiles {
  readonly messages: ReadonlyArray<Message>
  readonly quarantined: ReadonlyArray<QuarantinedFile>
  readonly remaining: number
  readonly held: ReadonlyArray<HeldFile>
}

const nothing: TakenFiles = { messages: [], quarantined: [], remaining: 0, held: [] }

/**
 * Makes sure `dir/name` (claimed/, archive/, quarantine/) is a usable directory, recreating it when missing; a
 * symlink or a file found in its place is moved aside (renamed, never followed) to `.<name>.unusable.<pid>.<time>`
 * first, so that no planted entry can stop reads for good. Throws BusFileError when it still cannot be used.
 */
const ensureSubdirectory = (reader: InboxReader, dir: string, name: string) => {
  const path = join(dir, name)
  try {
    checkDirectory(reader.tree, path, true)
  } catch (error) {
    const misplaced = error instanceof BusFileError && error.path === path &&
      (error.code === "ELOOP" || error.code === "ENOTDIR")
    if (!misplaced) throw error
    fs.renameSync(path, join(dir, `.${name}.unusable.${process.pid}.${Date.now()}`))
    checkDirectory(reader.tree, path, true)
  }
}

/** Puts back unread what `claimed/` holds for dead processes, and this process's own entries it no longer holds. */
const restoreOrphans = (reader: InboxReader, dir: string) => {
  const claimedDir = join(dir, "claimed")
  let entries: Array<string>
  try {
    if (!checkDirectory(reader.tree, claimedDir, false)) return
    entries = fs.readdirSync(claimedDir)
  } catch {
    return
  }
  for (const entry of entries) {
    const parsed = parseClaimedName(entry)
    if (parsed === undefined) continue
    const path = join(claimedDir, entry)
    if (parsed.pid === process.pid ? reader.inFlight.has(path) : processExists(parsed.pid)) continue
    try {
      fs.renameSync(path, join(dir, parsed.file))
    } catch {
      continue
    }
  }
}

/**
 * A message file with two links is normally a delivery caught between linking it into place and removing its
 * temporary name (the same file under both names, in this inbox): read as usual, as it is once that name is gone
 * (read again). Otherwise it is a link to a file elsewhere, and refused.
 */
const readLinked = (path: string, limit: number): FileRead =>
  readBusFile(path, { maxBytes: limit, anyLinks: isBeingPublished(path) })

const quarantine = (reader: InboxReader, dir: string, name: string, reason: string): QuarantinedFile | undefined => {
  try {
    const quarantineDir = join(dir, "quarantine")
    ensureSubdirectory(reader, dir, "quarantine")
    fs.renameSync(join(dir, name), join(quarantineDir, name))
    return { file: name, reason }
  } catch {
    return undefined
  }
}

/**
 * Moves a message file into `claimed/`, recreating `claimed/` once when it was removed; false when another reader took
 * it first.
 */
const claimFile = (reader: InboxReader, dir: string, name: string, heldPath: string): boolean => {
  for (let attempt = 0;; attempt++) {
    try {
      fs.renameSync(join(dir, name), heldPath)
      return true
    } catch (error) {
      if (errnoOf(error) !== "ENOENT" || attempt > 0 || !fs.existsSync(join(dir, name))) {
        if (errnoOf(error) === "ENOENT") return false
        throw error
      }
      ensureSubdirectory(reader, dir, "claimed")
    }
  }
}

/**
 * Claims the unread messages of the inbox `dir`, urgent ones first, each group oldest first, optionally of one topic: at most `limit`, and no more
 * than the read budget of bytes (one at least). Files that are not valid messages are quarantined. Throws a
 * BusFileError when the inbox or `claimed/` is unusable; what it already took then goes back unread.
 */
export const takeFiles = (
  reader: InboxReader,
  dir: string,
  topic: string | undefined,
  limit: number,
  now: number
): TakenFiles => {
  if (!checkDirectory(reader.tree, dir, false)) return nothing
  restoreOrphans(reader, dir)
  const names = urgentFirst(dir, fs.readdirSync(dir).filter(isMessageFileName).sort())
  if (names.length === 0) return nothing
  const claimedDir = join(dir, "claimed")
  ensureSubdirectory(reader, dir, "claimed")
  const messages: Array<Message> = []
  const quarantined: Array<QuarantinedFile> = []
  const held: Array<HeldFile> = []
  let used = 0
  let remaining = 0
  try {
    for (const [index, name] of names.entries()) {
      if (messages.length >= limit) {
        remaining += countRemaining(dir, names.slice(index), topic)
        break
      }
      const path = join(dir, name)
      let read = readBusFile(path, { maxBytes: reader.fileLimit })
      if (read._tag === "Refused" && read.refusal === "linked") read = readLinked(path, reader.fileLimit)
      if (read._tag === "Missing") continue
      const message = read._tag === "Text" ? reader.decode(read.text) : undefined
      if (message === undefined) {
        const reason = read._tag === "Refused" ? read.reason : "not a valid message (corrupt JSON or missing keys)"
        const moved = quarantine(reader, dir, name, reason)
        if (moved) quarantined.push(moved)
        continue
      }
      if (topic !== undefined && message.topic !== topic) continue
      const bytes = replyBytes(message)
      if (!fitsRead(messages.length, used, bytes, limit)) {
        remaining += 1 + countRemaining(dir, names.slice(index + 1), topic)
        break
      }
      const heldPath = join(claimedDir, claimedName(process.pid, name))
      reader.inFlight.add(heldPath)
      let claimed = false
      try {
        claimed = claimFile(reader, dir, name, heldPath)
      } finally {
        if (!claimed) reader.inFlight.delete(heldPath)
      }
      if (!claimed) continue
      held.push({ path: heldPath, name, awaitsAck: message.ack_required === true })
      messages.push(message)
      used += bytes
    }
  } catch (error) {
    // What this call already holds goes back unread: failing must not strand it.
    settleFiles(reader, dir, held, false)
    throw error
  }
  const last = reader.lastPrune.get(dir) ?? Number.NEGATIVE_INFINITY
  if (now - last >= 3_600_000) {
    reader.lastPrune.set(dir, now)
    pruneArchive(reader.tree, join(dir, "archive"), now, reader.ttlMillis)
  }
  return { messages, quarantined, remaining, held }
}

/**
 * Settles held files: into `archive/` (recreated when missing, a symlink or file in its place moved aside) when
 * `delivered`, those asking for an acknowledgement put on the awaiting list, else back into the inbox. A delivered message whose archive still cannot be used (another user's) is
 * deleted instead: it was read, and the archive is only its history. Whatever cannot move is no longer held, so the
 * next claim of this process puts
 * it back. Returns a sentence per file that could not be settled as asked; never throws.
 */
export const settleFiles = (
  reader: InboxReader,
  dir: string,
  held: ReadonlyArray<HeldFile>,
  delivered: boolean
): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const archiveDir = join(dir, "archive")
  let archiveProblem: string | undefined
  if (delivered && held.length > 0) {
    try {
      ensureSubdirectory(reader, dir, "archive")
    } catch (error) {
      archiveProblem = error instanceof Error ? error.message : String(error)
    }
  }
  for (const { awaitsAck, name, path } of held) {
    reader.inFlight.delete(path)
    try {
      if (!delivered) fs.renameSync(path, join(dir, name))
      else if (archiveProblem === undefined) {
        fs.renameSync(path, join(archiveDir, name))
        if (awaitsAck) markAwaiting(reader.tree, dir, name)
      } else {
        fs.rmSync(path, { force: true })
        problems.push(`${name} was read but not archived (${archiveProblem})`)
      }
    } catch (error) {
      problems.push(
        `${name} stays held in ${join(dir, "claimed")} (${
          errnoOf(error) ?? String(error)
        }); the next read returns it again`
      )
    }
  }
  return problems
}
