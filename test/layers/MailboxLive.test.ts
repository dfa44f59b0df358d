import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import type { AgentId } from "../../src/domain/AgentId.js"
import { BusDir } from "../../src/services/BusDir.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { message } from "../support/unitFixtures.js"
import { mailboxLive } from "../support/unitLayers.js"

const bob = "proj:bob" as AgentId
const maxMessageBytes = 1024

/** Bob's inbox with one valid message in it, delivered after the test planted `bad` (a name sorting first). */
const inboxWithValidMessage = Effect.gen(function*() {
  const mailbox = yield* Mailbox
  const busDir = yield* BusDir
  const sent = message({ from: "proj:alice", to: bob, sentAt: yield* mailbox.nextSentAt })
  yield* mailbox.deliver(bob, sent)
  return { dir: busDir.inboxDir(bob), sent }
})

const mode = (path: string) => fs.statSync(path).mode & 0o777

const claimAll = Effect.flatMap(Mailbox, (mailbox) => mailbox.claim(bob, Option.none()))

/** Plants a bad entry named like a message ahead of a valid one, claims, and checks it was moved aside. */
const quarantines = (plant: (path: string) => void, reason: RegExp) =>
  Effect.gen(function*() {
    const { dir, sent } = yield* inboxWithValidMessage
    const bad = "0000-00-00T00-00-00.000000+00-00_badbadba.json"
    plant(join(dir, bad))
    const claimed = yield* claimAll
    expect(claimed.messages).toEqual([sent])
    expect(claimed.quarantined).toEqual([{ file: bad, reason: expect.stringMatching(reason) }])
    expect(fs.existsSync(join(dir, bad))).toBe(false)
    expect(fs.lstatSync(join(dir, "quarantine", bad))).toBeDefined()
    expect(yield* claimAll).toEqual({ messages: [], quarantined: [], remaining: 0 })
  }).pipe(Effect.provide(mailboxLive({ maxMessageBytes })))

describe("MailboxLive files", () => {
  it.effect("a corrupt JSON file is quarantined and the message behind it is still claimed", () =>
    quarantines((path) => fs.writeFileSync(path, "{\"id\": \"trunc"), /not a valid message/))

  it.effect("a file missing message keys is quarantined", () =>
    quarantines(
      (path) => fs.writeFileSync(path, JSON.stringify({ id: "x", content: "no sender" })),
      /not a valid message/
    ))

  it.effect("a directory named like a message is quarantined", () =>
    quarantines((path) => fs.mkdirSync(path), /not a regular file/))

  it.effect("a symlink named like a message is quarantined without being followed", () =>
    quarantines((path) => {
      const target = `${path}.target`
      fs.writeFileSync(
        target,
        JSON.stringify(message({ from: "x", to: bob, sentAt: "2026-03-16T12:00:00.000000+00:00" }))
      )
      fs.symlinkSync(target, path)
    }, /symlink/))

  it.effect("a file far larger than any message is quarantined unread", () =>
    quarantines((path) =>
      fs.writeFileSync(
        path,
        JSON.stringify(
          message({ from: "x", to: bob, sentAt: "2026-03-16T12:00:00.000000+00:00", content: "x".repeat(200_000) })
        )
      ), /larger than/))

  it.effect("a claimed message moves into archive/", () =>
    Effect.gen(function*() {
      const { dir } = yield* inboxWithValidMessage
      const [name] = fs.readdirSync(dir).filter((n) => n.endsWith(".json"))
      yield* claimAll
      expect(fs.readdirSync(join(dir, "archive"))).toEqual([name])
      expect(fs.readdirSync(dir).filter((n) => n.endsWith(".json"))).toEqual([])
    }).pipe(Effect.provide(mailboxLive())))

  it.scoped("message files are 0600 and inbox directories 0700 even under umask 0", () =>
    Effect.gen(function*() {
      yield* Effect.acquireRelease(Effect.sync(() => process.umask(0)), (previous) =>
        Effect.sync(() => process.umask(previous)))
      const { dir } = yield* inboxWithValidMessage
      const [name] = fs.readdirSync(dir).filter((n) =>
        n.endsWith(".json")
      )
      expect(mode(dir)).toBe(0o700)
      expect(mode(join(dir, name!))).toBe(0o600)
      fs.writeFileSync(join(dir, "0000-corrupt.json"), "nope", { mode: 0o600 })
      yield* claimAll
      expect(mode(join(dir, "archive"))).toBe(0o700)
      expect(mode(join(dir, "claimed"))).toBe(0o700)
      expect(mode(join(dir, "quarantine"))).toBe(0o700)
      expect(mode(join(dir, "archive", name!))).toBe(0o600)
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("no temporary file is left after deliveries", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const { dir } = yield* inboxWithValidMessage
      for (let i = 0; i < 5; i++) {
        yield* mailbox.deliver(bob, message({ from: "proj:alice", to: bob, sentAt: yield* mailbox.nextSentAt }))
      }
      const names = fs.readdirSync(dir)
      expect(names.filter((n) => n.endsWith(".tmp"))).toEqual([])
      expect(names.filter((n) => n.endsWith(".json"))).toHaveLength(6)
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("a second delivery of the same message fails instead of overwriting it", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const { dir, sent } = yield* inboxWithValidMessage
      const [name] = fs.readdirSync(dir).filter((n) => n.endsWith(".json"))
      const before = fs.readFileSync(join(dir, name!), "utf8")
      const again = yield* Effect.flip(mailbox.deliver(bob, { ...sent, content: "changed" } as typeof sent))
      expect(again._tag).toBe("MailboxUnavailable")
      expect(fs.readFileSync(join(dir, name!), "utf8")).toBe(before)
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("a message file written by the Python reference is read", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const busDir = yield* BusDir
      yield* mailbox.ensureInbox(bob)
      const dir = busDir.inboxDir(bob)
      const name = "2026-03-16T12-00-00.123456+00-00_1a2b3c4d.json"
      const reference = {
        id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        from: "web:frontend",
        to: bob,
        reply_to: "web:frontend",
        topic: null,
        content: "schema changed, please rebase",
        sent_at: "2026-03-16T12:00:00.123456+00:00"
      }
      fs.writeFileSync(join(dir, name), JSON.stringify(reference, null, 2), { mode: 0o600 })
      expect(yield* mailbox.pending(bob)).toEqual([{
        file: name,
        id: expect.any(String),
        from: "web:frontend",
        topic: null,
        priority: "normal"
      }])
      const claimed = yield* claimAll
      expect(claimed.quarantined).toEqual([])
      expect(claimed.messages.map((m) => ({ ...m }))).toEqual([reference])
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("the files this mailbox writes are JSON objects with the reference's keys", () =>
    Effect.gen(function*() {
      const { dir, sent } = yield* inboxWithValidMessage
      const [name] = fs.readdirSync(dir).filter((n) => n.endsWith(".json"))
      expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{6}\+00-00_[0-9a-f]{8}\.json$/)
      expect(JSON.parse(fs.readFileSync(join(dir, name!), "utf8"))).toEqual({
        id: sent.id,
        from: sent.from,
        to: sent.to,
        reply_to: sent.reply_to,
        topic: sent.topic,
        content: sent.content,
        sent_at: sent.sent_at
      })
    }).pipe(Effect.provide(mailboxLive())))
})

describe("MailboxLive waiting for mail", () => {
  it.effect("without change events (a file system that drops them), the slow re-scan still finds new mail: late, never lost", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const waiting = yield* Effect.fork(mailbox.awaitNew(bob, new Set()))
      yield* TestClock.adjust("1 second")
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      yield* mailbox.deliver(bob, message({ from: "proj:alice", to: bob, sentAt: yield* mailbox.nextSentAt }))
      yield* TestClock.adjust("1 second")
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      yield* TestClock.adjust("3 seconds")
      expect((yield* Fiber.join(waiting)).map((found) => found.from)).toEqual(["proj:alice"])
    }).pipe(Effect.provide(mailboxLive({ mailWatch: false }))))
})
