/**
 * Delivery of one message file into an inbox under the unread cap, held under concurrency without a lock in the
 * common case. Every sender stages its file under a visible temporary name before it counts, and keeps one of the two
 * names visible until it is done; so a sender that counts `unread + in flight <= cap` (its own included) may link
 * at once: whoever counts later sees it. Near the cap, senders take the inbox's delivery lock one at a time, wait for
 * the deliveries still in flight, and decide exactly.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { discardStaged, publishStaged, syncDirectory, syncTemp, tempFileWriter, writeTemp } from "./atomicWrite.js"
import { asBusFileError, BusFileError } from "./fileErrors.js"
import { isMessageFileName } from "./messageNames.js"
import { releaseLock, tryLock } from "./pidLock.js"
import { processExists } from "./processLiveness.js"

/** What a delivery did: the file is in place, or the inbox already holds `unread` messages (the cap). */
export type DeliveryOutcome = { readonly _tag: "Delivered" } | { readonly _tag: "Full"; readonly unread: number }

/** The name of an inbox's delivery lock. */
const deliveryLockName = ".deliver.lock"

/** The suffix a staged file carries while its sender waits for the delivery lock: not counted as in flight. */
const waitingSuffix = ".wait"

/** A staged message file older than this is a leftover, not a delivery in flight. */
const staleMillis = 60_000

/** How long a sender near the cap waits for the lock, and then for the deliveries in flight, before giving up. */
const patienceMillis = 10_000

const isStagedMessage = (entry: string) =>
  entry.endsWith(".tmp") && entry.includes(".json.") && tempFileWriter(entry) !== undefined

const pause = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

/**
 * Unread messages and staged (in flight) message files in `dir`, not counting `except`; `exact` skips leftovers of dead
 * senders.
 */
const census = (dir: string, except: string, exact: boolean, now: number) => {
  let unread = 0
  let inFlight = 0
  for (const entry of fs.readdirSync(dir)) {
    if (isMessageFileName(entry)) unread++
    else if (exact && entry.endsWith(waitingSuffix)) {
      removeIfWriterDead(dir, entry, entry.slice(0, -waitingSuffix.length))
    } else if (entry !== except && isStagedMessage(entry)) {
      if (!exact) {
        inFlight++
        continue
      }
      try {
        const writer = tempFileWriter(entry)!
        const fresh = now - fs.lstatSync(join(dir, entry)).mtimeMs < staleMillis
        if (fresh && processExists(writer)) inFlight++
        else removeIfWriterDead(dir, entry, entry)
      } catch {
        continue
      }
    }
  }
  return { unread, inFlight }
}

/** Removes a staged file whose sender died before it could deliver it (its name carries the sender's pid). */
const removeIfWriterDead = (dir: string, entry: string, stagedName: string) => {
  const writer = tempFileWriter(stagedName)
  if (writer !== undefined && isStagedMessage(stagedName) && !processExists(writer)) {
    fs.rmSync(join(dir, entry), { force: true })
  }
}

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1)

/** Under the delivery lock: waits until the in-flight deliveries settled enough to tell whether one more fits. */
const decideUnderLock = async (dir: string, temp: string, maxUnread: number): Promise<DeliveryOutcome | "fits"> => {
  const started = Date.now()
  for (let round = 0;; round++) {
    const { inFlight, unread } = census(dir, basename(temp), true, Date.now())
    if (unread + 1 > maxUnread) return { _tag: "Full", unread }
    if (unread + inFlight + 1 <= maxUnread) return "fits"
    if (Date.now() - started > patienceMillis) {
      throw new BusFileError(dir, `${dir} has ${inFlight} deliveries in flight that do not finish; retry in a moment`)
    }
    await pause(Math.min(1 + round, 20))
  }
}

/** Takes the inbox's delivery lock, waiting (bounded) while another live sender holds it. */
const takeDeliveryLock = async (lock: string) => {
  const started = Date.now()
  for (let round = 0; !tryLock(lock); round++) {
    if (Date.now() - started > patienceMillis) {
      throw new BusFileError(lock, `the delivery lock ${lock} stays held by a live process; retry in a moment`)
    }
    await pause(Math.min(1 + round, 20))
  }
}

/** A file for one inbox: `name` with `data` in the inbox directory `dir`. */
export interface InboxFile {
  readonly dir: string
  readonly name: string
  readonly data: string
}

/** What one delivery of a batch came to: its outcome, or the BusFileError that stopped it. */
export type BatchOutcome = DeliveryOutcome | { readonly _tag: "Failed"; readonly error: BusFileError }

/**
 * Links a staged file into place under the unread cap (the delivery lock near the cap); always removes the staged name.
 */
const publishUnderCap = async (
  dir: string,
  name: string,
  staged: string,
  maxUnread: number
): Promise<DeliveryOutcome> => {
  let temp = staged
  try {
    const quick = census(dir, "", false, Date.now())
    if (quick.unread + quick.inFlight > maxUnread) {
      const waiting = temp + waitingSuffix
      fs.renameSync(temp, waiting)
      temp = waiting
      const lock = join(dir, deliveryLockName)
      await takeDeliveryLock(lock)
      try {
        const visible = waiting.slice(0, -waitingSuffix.length)
        fs.renameSync(waiting, visible)
        temp = visible
        const decision = await decideUnderLock(dir, temp, maxUnread)
        if (decision !== "fits") return decision
        publishStaged(temp, join(dir, name))
      } finally {
        releaseLock(lock)
      }
    } else {
      publishStaged(temp, join(dir, name))
    }
  } catch (error) {
    throw asBusFileError(error, dir)
  } finally {
    discardStaged(temp)
  }
  return { _tag: "Delivered" }
}

const failed = (error: unknown, dir: string): BatchOutcome => ({ _tag: "Failed", error: asBusFileError(error, dir) })

/**
 * Delivers several files at once (one fan-out) with the waits shared: every file is staged and fsynced together,
 * then each is linked into place under its inbox's cap (as `deliverFile` does), then each distinct directory that got
 * a file is fsynced once. One outcome per file, in order; a delivery is Delivered only once its directory is fsynced.
 */
export const deliverFiles = async (
  files: ReadonlyArray<InboxFile>,
  maxUnread: number
): Promise<Array<BatchOutcome>> => {
  // Every file is written before any is fsynced: a file created while an fsync commits the journal waits for it.
  const written = files.map((file) => {
    try {
      return writeTemp(file.dir, file.name, file.data, 0o600)
    } catch (error) {
      return failed(error, file.dir)
    }
  })
  const staged = await Promise.all(
    written.map((temp, index) =>
      "_tag" in temp ? temp : syncTemp(temp).catch((error: unknown) => failed(error, files[index]!.dir))
    )
  )
  const outcomes: Array<BatchOutcome> = []
  for (const [index, file] of files.entries()) {
    const temp = staged[index]!
    outcomes.push(
      typeof temp !== "string"
        ? temp
        : await publishUnderCap(file.dir, file.name, temp, maxUnread).catch((error: unknown) => failed(error, file.dir))
    )
  }
  const linkedDirs = new Set(files.flatMap((file, index) => outcomes[index]!._tag === "Delivered" ? [file.dir] : []))
  const dirSyncs = new Map(
    await Promise.all(
      [...linkedDirs].map((dir) =>
        syncDirectory(dir).then(() => [dir, undefined] as const, (error: unknown) => [dir, failed(error, dir)] as const)
      )
    )
  )
  return outcomes.map((outcome, index) =>
    outcome._tag === "Delivered" ? dirSyncs.get(files[index]!.dir) ?? outcome : outcome
  )
}

/**
 * Writes `data` as `dir/name` atomically (never overwriting: an existing name fails with EEXIST) unless the inbox
 * already holds `maxUnread` unread messages, counting deliveries in flight in every process. Throws BusFileError.
 */
export const deliverFile = async (
  dir: string,
  name: string,
  data: string,
  maxUnread: number
): Promise<DeliveryOutcome> => {
  const [outcome] = await deliverFiles([{ dir, name, data }], maxUnread)
  if (outcome!._tag === "Failed") throw outcome!.error
  return outcome!
}
