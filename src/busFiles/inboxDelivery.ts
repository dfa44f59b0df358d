/**
 * Delivery of one message file into an inbox under the unread cap, held under concurrency without a lock in the
 * common case. Every sender stages its file under a visible temporary name before it counts, and keeps one of the two
 * names visible until it is done; so a sender that counts `unread + in flight <= cap` (its own included) may link
 * at once: whoever counts later sees it. Near the cap, senders take the inbox's delivery lock one at a time, wait for
 * the deliveries still in flight, and decide exactly.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { discardStaged, publishStaged, stageFile, syncDirectory, tempFileWriter } from "./atomicWrite.js"
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

const isStagedMessage = (entry: string) => entry.endsWith(".tmp") && entry.includes(".json.") && tempFileWriter(entry) !== undefined

const pause = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

/** Unread messages and staged (in flight) message files in `dir`, not counting `except`; `exact` skips leftovers of dead senders. */
const census = (dir: string, except: string, exact: boolean, now: number) => {
  let unread = 0
  let inFlight = 0
  for (const entry of fs.readdirSync(dir)) {
    if (isMessageFileName(entry)) unread++
    else if (exact && entry.endsWith(waitingSuffix)) removeIfWriterDead(dir, entry, entry.slice(0, -waitingSuffix.length))
    else if (entry !== except && isStagedMessage(entry)) {
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
  if (writer !== undefined && isStagedMessage(stagedName) && !processExists(writer)) fs.rmSync(join(dir, entry), { force: true })
}

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1)

/** Under the delivery lock: waits until the in-flight deliveries settled enough to tell whether one more fits. */
const decideUnderLock = async (dir: string, temp: string, maxUnread: number): Promise<DeliveryOutcome | "fits"> => {
  const started = Date.now()
  for (let round = 0; ; round++) {
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

/**
 * Writes `data` as `dir/name` atomically (never overwriting: an existing name fails with EEXIST) unless the inbox
 * already holds `maxUnread` unread messages, counting deliveries in flight in every process. Throws BusFileError.
 */
export const deliverFile = async (dir: string, name: string, data: string, maxUnread: number): Promise<DeliveryOutcome> => {
  let temp = await stageFile(dir, name, data, 0o600)
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
  await syncDirectory(dir)
  return { _tag: "Delivered" }
}
