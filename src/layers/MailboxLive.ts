import * as fs from "node:fs"
import * as fsp from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { Clock, Duration, Effect, Either, Layer, Option, Ref, Schema } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { InboxFull, MailboxUnavailable } from "../domain/errors.js"
import { type Message, MessageFromJson, messageFileName } from "../domain/Message.js"
import { formatMicros } from "../domain/Timestamp.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir } from "../services/BusDir.js"
import { Mailbox, type MailboxShape, type PendingMessage, type QuarantinedFile } from "../services/Mailbox.js"
import { processExists } from "./ProcessesLive.js"

const decodeMessage = Schema.decodeUnknownEither(MessageFromJson)

const fsync = promisify(fs.fsync)

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

const describe = (error: unknown, dir: string): string => {
  switch (errorCode(error)) {
    case "ENOSPC":
      return `the disk holding ${dir} is full; free some space and send again (nothing was delivered to this inbox)`
    case "EROFS":
      return `${dir} is on a read-only file system; make the bus dir writable and send again`
    case "EACCES":
    case "EPERM":
      return `permission denied on ${dir}; the bus dir must belong to you with mode 0700`
    case "EDQUOT":
      return `disk quota exceeded on ${dir}; free some space and send again`
    default:
      return `${(error as Error).message ?? String(error)}`
  }
}

const noSpace = (path: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC" })

const isMessageFile = (name: string) => name.endsWith(".json") && !name.startsWith(".")

const readBounded = (path: string, limit: number): Either.Either<string, string> => {
  let fd: number
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK)
  } catch (error) {
    return Either.left(errorCode(error) === "ELOOP" ? "a symlink, not a message" : `unreadable (${errorCode(error)})`)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return Either.left("not a regular file")
    if (stat.size > limit) return Either.left(`${stat.size} bytes, larger than any message can be`)
    const buffer = Buffer.alloc(stat.size)
    const read = fs.readSync(fd, buffer, 0, stat.size, 0)
    return Either.right(buffer.toString("utf8", 0, read))
  } finally {
    fs.closeSync(fd)
  }
}

const waiterFile = ".waiter"

/** Where a claimer holds the messages it took until they are settled: `claimed/<pid>.<file>`. */
const claimedSubdir = "claimed"

const waiterPid = (path: string): number | undefined => {
  try {
    const pid = Number(fs.readFileSync(path, "utf8").trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

const waiterAlive = (path: string) => {
  const pid = waiterPid(path)
  return pid !== undefined && processExists(pid)
}

const takeWaiterLock = (path: string): boolean => {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(path, String(process.pid), { flag: "wx", mode: 0o600 })
      return true
    } catch (error) {
      if (errorCode(error) !== "EEXIST" || waiterAlive(path)) return false
      fs.rmSync(path, { force: true })
    }
  }
  return false
}

const releaseWaiterLock = (path: string) => {
  if (waiterPid(path) === process.pid) fs.rmSync(path, { force: true })
}

/**
 * Builds the file mailbox: atomic link-into-place delivery, claim by rename into `claimed/<pid>.<file>` (archived once
 * settled, re-delivered when the claimer died first), quarantine of bad files.
 */
export const make = Effect.gen(function*() {
  const busDir = yield* BusDir
  const config = yield* BusConfig
  const lastStamp = yield* Ref.make(0)
  const lastPrune = new Map<string, number>()
  const knownInboxes = new Set<string>()
  const inFlight = new Set<string>()
  const fileLimit = config.maxMessageBytes * 6 + 64 * 1024
  const ttlMillis = Duration.toMillis(config.archiveTtl)

  const unavailable = (agentId: string, dir: string) => (error: unknown) =>
    new MailboxUnavailable({ agentId, reason: describe(error, dir) })

  const ensureInbox = (agentId: AgentId) =>
    Effect.suspend(() => {
      const dir = busDir.inboxDir(agentId)
      if (knownInboxes.has(dir)) return Effect.succeed(dir)
      return Effect.tryPromise({
        try: () => fsp.mkdir(join(dir, "archive"), { recursive: true, mode: 0o700 }),
        catch: unavailable(agentId, dir)
      }).pipe(Effect.tap(() => Effect.sync(() => knownInboxes.add(dir))), Effect.as(dir))
    })

  const writeAtomically = async (dir: string, name: string, body: string) => {
    const temp = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
    try {
      const fd = fs.openSync(temp, "wx", 0o600)
      try {
        // writeSync writes once and returns the count: on a full file system it returns short, without an error
        // (a torn message was linked into place). Write until done; an empty write is a full disk.
        const bytes = Buffer.from(body, "utf8")
        for (let offset = 0; offset < bytes.length;) {
          const written = fs.writeSync(fd, bytes, offset, bytes.length - offset)
          if (written <= 0) throw noSpace(temp)
          offset += written
        }
        await fsync(fd)
        if (fs.fstatSync(fd).size !== bytes.length) throw noSpace(temp)
      } finally {
        fs.closeSync(fd)
      }
      fs.linkSync(temp, join(dir, name))
    } finally {
      fs.rmSync(temp, { force: true })
    }
    const dirFd = fs.openSync(dir, "r")
    try {
      await fsync(dirFd)
    } finally {
      fs.closeSync(dirFd)
    }
  }

  const deliver: MailboxShape["deliver"] = Effect.fn("Mailbox.deliver")(function*(agentId, message) {
    const dir = yield* ensureInbox(agentId)
    const names = yield* Effect.try({ try: () => fs.readdirSync(dir), catch: unavailable(agentId, dir) })
    const unread = names.filter(isMessageFile).length
    if (unread >= config.maxUnread) {
      return yield* new InboxFull({ agentId, unread, limit: config.maxUnread })
    }
    yield* Effect.tryPromise({
      try: () => writeAtomically(dir, messageFileName(message), JSON.stringify(message, null, 2)),
      catch: unavailable(agentId, dir)
    })
  })

  const messageNames = (agentId: AgentId, dir: string) =>
    Effect.try({
      try: () => fs.readdirSync(dir).filter(isMessageFile).sort(),
      catch: (error) => error
    }).pipe(
      Effect.catchAll((error) =>
        errorCode(error) === "ENOENT" ? Effect.succeed([] as Array<string>) : Effect.fail(unavailable(agentId, dir)(error))
      )
    )

  const pending: MailboxShape["pending"] = Effect.fn("Mailbox.pending")(function*(agentId) {
    const dir = busDir.inboxDir(agentId)
    const names = yield* messageNames(agentId, dir)
    return names.map((file): PendingMessage => {
      const parsed = Either.flatMap(readBounded(join(dir, file), fileLimit), (text) =>
        Either.mapLeft(decodeMessage(text), () => "invalid"))
      return Either.match(parsed, {
        onLeft: () => ({ file, id: "", from: "unknown", topic: null }),
        onRight: (message) => ({ file, id: message.id, from: message.from, topic: message.topic })
      })
    })
  })

  const pruneArchive = (dir: string, now: number) => {
    const last = lastPrune.get(dir) ?? 0
    if (now - last < 3_600_000) return
    lastPrune.set(dir, now)
    const archive = join(dir, "archive")
    let names: Array<string>
    try {
      names = fs.readdirSync(archive)
    } catch {
      return
    }
    for (const name of names) {
      try {
        const path = join(archive, name)
        if (now - fs.lstatSync(path).mtimeMs > ttlMillis) fs.unlinkSync(path)
      } catch {
        continue
      }
    }
  }

  /** Puts back unread what a claimer left in `claimed/`: entries of dead processes, and this process's own not in flight (a former holder of this pid). */
  const restoreOrphans = (dir: string) => {
    const claimedDir = join(dir, claimedSubdir)
    let held: Array<string>
    try {
      held = fs.readdirSync(claimedDir)
    } catch {
      return
    }
    for (const entry of held) {
      const dot = entry.indexOf(".")
      const pid = Number(entry.slice(0, dot))
      const name = entry.slice(dot + 1)
      if (dot <= 0 || !Number.isInteger(pid) || !isMessageFile(name)) continue
      if (pid === process.pid ? inFlight.has(join(claimedDir, entry)) : processExists(pid)) continue
      try {
        fs.renameSync(join(claimedDir, entry), join(dir, name))
      } catch {
        continue
      }
    }
  }

  const take: MailboxShape["take"] = Effect.fn("Mailbox.take")(function*(agentId, topic) {
    const dir = busDir.inboxDir(agentId)
    restoreOrphans(dir)
    const names = yield* messageNames(agentId, dir)
    if (names.length === 0) return { messages: [], quarantined: [], settle: () => Effect.void }
    yield* ensureInbox(agentId)
    const claimedDir = join(dir, claimedSubdir)
    yield* Effect.try({
      try: () => {
        // Not recursive: Node's recursive mkdir reports ENOENT on a read-only file system, hiding the cause.
        if (!knownInboxes.has(claimedDir)) fs.mkdirSync(claimedDir, { mode: 0o700 })
      },
      catch: (error) => error
    }).pipe(
      Effect.catchAll((error) =>
        errorCode(error) === "EEXIST" ? Effect.void : Effect.fail(unavailable(agentId, dir)(error))
      ),
      Effect.tap(() => Effect.sync(() => knownInboxes.add(claimedDir)))
    )
    const messages: Array<Message> = []
    const quarantined: Array<QuarantinedFile> = []
    const held: Array<{ readonly path: string; readonly name: string }> = []
    const quarantine = join(dir, "quarantine")
    for (const name of names) {
      const path = join(dir, name)
      const parsed = Either.flatMap(readBounded(path, fileLimit), (text) =>
        Either.mapLeft(decodeMessage(text), () => "not a valid message (corrupt JSON or missing keys)"))
      if (Either.isLeft(parsed)) {
        if (parsed.left.startsWith("unreadable (ENOENT)")) continue
        try {
          fs.mkdirSync(quarantine, { recursive: true, mode: 0o700 })
          fs.renameSync(path, join(quarantine, name))
          quarantined.push({ file: name, reason: parsed.left })
        } catch {
          continue
        }
        continue
      }
      const message = parsed.right
      if (Option.isSome(topic) && message.topic !== topic.value) continue
      const heldPath = join(claimedDir, `${process.pid}.${name}`)
      inFlight.add(heldPath)
      try {
        fs.renameSync(path, heldPath)
      } catch (error) {
        inFlight.delete(heldPath)
        if (errorCode(error) === "ENOENT") continue
        // What this call already holds goes back unread: failing must not strand it.
        settleHeld(dir, held, false)
        return yield* Effect.fail(unavailable(agentId, dir)(error))
      }
      held.push({ path: heldPath, name })
      messages.push(message)
    }
    const now = yield* Clock.currentTimeMillis
    pruneArchive(dir, now)
    let settled = false
    return {
      messages,
      quarantined,
      settle: (delivered: boolean) =>
        Effect.sync(() => {
          if (settled) return
          settled = true
          settleHeld(dir, held, delivered)
        })
    }
  })

  /** Moves held messages into `archive/` (delivered) or back into the inbox; one that cannot move stays held and is re-delivered after this process ends. */
  const settleHeld = (dir: string, held: ReadonlyArray<{ readonly path: string; readonly name: string }>, delivered: boolean) => {
    for (const { name, path } of held) {
      try {
        fs.renameSync(path, delivered ? join(dir, "archive", name) : join(dir, name))
        inFlight.delete(path)
      } catch {
        continue
      }
    }
  }

  const claim: MailboxShape["claim"] = Effect.fn("Mailbox.claim")(function*(agentId, topic) {
    const taken = yield* take(agentId, topic)
    yield* taken.settle(true)
    return { messages: taken.messages, quarantined: taken.quarantined }
  })

  return {
    nextSentAt: Effect.gen(function*() {
      const nowMicros = (yield* Clock.currentTimeMillis) * 1000
      const stamp = yield* Ref.modify(lastStamp, (last) => {
        const next = Math.max(nowMicros, last + 1)
        return [next, next]
      })
      return formatMicros(stamp)
    }),
    ensureInbox: (agentId) => Effect.asVoid(ensureInbox(agentId)),
    deliver,
    pending,
    take,
    claim,
    awaitNew: (agentId, known) =>
      Effect.flatMap(ensureInbox(agentId), (dir) => {
        const fresh = () => fs.readdirSync(dir).filter((name) => isMessageFile(name) && !known.has(name)).sort()
        return Effect.async<ReadonlyArray<string>, MailboxUnavailable>((resume) => {
          let watcher: fs.FSWatcher | undefined
          const check = () => {
            try {
              const names = fresh()
              if (names.length > 0) {
                watcher?.close()
                resume(Effect.succeed(names))
              }
            } catch (error) {
              watcher?.close()
              resume(Effect.fail(unavailable(agentId, dir)(error)))
            }
          }
          try {
            watcher = fs.watch(dir, { persistent: true }, check)
          } catch (error) {
            resume(Effect.fail(unavailable(agentId, dir)(error)))
            return
          }
          check()
          return Effect.sync(() => watcher?.close())
        })
      }).pipe(
        Effect.flatMap((names) => Effect.map(pending(agentId), (all) => all.filter((message) => names.includes(message.file))))
      ),
    holdWaiter: (agentId) =>
      Effect.acquireRelease(
        Effect.flatMap(ensureInbox(agentId), (dir) => Effect.sync(() => takeWaiterLock(join(dir, waiterFile)))),
        (held) => held ? Effect.sync(() => releaseWaiterLock(join(busDir.inboxDir(agentId), waiterFile))) : Effect.void
      ).pipe(Effect.orElseSucceed(() => false)),
    hasWaiter: (agentId) => Effect.sync(() => waiterAlive(join(busDir.inboxDir(agentId), waiterFile)))
  } satisfies MailboxShape
})

/** The mailboxes on the file system. */
export const layer = Layer.effect(Mailbox, make)
