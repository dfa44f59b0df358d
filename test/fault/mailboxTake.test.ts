/** The hold-until-settled claim (`take`/`settle`) that makes a reader crash a re-delivery, on both mailboxes. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import type { AgentId } from "../../src/domain/AgentId.js"
import { BusDir } from "../../src/services/BusDir.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { message } from "../support/unitFixtures.js"
import { mailboxLive, mailboxTest } from "../support/unitLayers.js"

const bob = "proj:bob" as AgentId

const sendThree = Effect.gen(function*() {
  const mailbox = yield* Mailbox
  const sent = []
  for (const content of ["1", "2", "3"]) {
    const next = message({ from: "proj:alice", to: bob, content, sentAt: yield* mailbox.nextSentAt })
    yield* mailbox.deliver(bob, next)
    sent.push(next)
  }
  return sent
})

const takeContract = (name: string, layer: () => Layer.Layer<Mailbox, unknown>) =>
  describe(`Mailbox take: ${name}`, () => {
    it.effect("taken messages are neither pending nor claimable until settled; settled as delivered they are gone", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const sent = yield* sendThree
        const taken = yield* mailbox.take(bob, Option.none())
        expect(taken.messages).toEqual(sent)
        expect(yield* mailbox.pending(bob)).toEqual([])
        expect((yield* mailbox.take(bob, Option.none())).messages).toEqual([])
        yield* taken.settle(true)
        yield* taken.settle(false)
        expect((yield* mailbox.claim(bob, Option.none())).messages).toEqual([])
      }).pipe(Effect.provide(layer())))

    it.effect("taken messages settled as not delivered are unread again, in order, with the same ids", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const sent = yield* sendThree
        const taken = yield* mailbox.take(bob, Option.none())
        yield* taken.settle(false)
        expect((yield* mailbox.pending(bob)).map((pending) => pending.file)).toHaveLength(3)
        expect((yield* mailbox.claim(bob, Option.none())).messages).toEqual(sent)
      }).pipe(Effect.provide(layer())))
  })

takeContract("live", () => mailboxLive())
takeContract("test", () => mailboxTest())

describe("MailboxLive held files", () => {
  it.effect("messages held by a process that died are re-delivered by the next claim; a live holder's are left alone", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const dir = (yield* BusDir).inboxDir(bob)
      const sent = yield* sendThree
      const [first, second] = fs.readdirSync(dir).filter((entry) => entry.endsWith(".json")).sort()
      const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid!
      fs.mkdirSync(join(dir, "claimed"), { recursive: true, mode: 0o700 })
      fs.renameSync(join(dir, first!), join(dir, "claimed", `${dead}.${first}`))
      fs.renameSync(join(dir, second!), join(dir, "claimed", `1.${second}`))
      const claimed = yield* mailbox.claim(bob, Option.none())
      expect(claimed.messages).toEqual([sent[0], sent[2]])
      expect(fs.readdirSync(join(dir, "claimed"))).toEqual([`1.${second}`])
      expect(fs.readdirSync(dir).filter((entry) => entry.endsWith(".json"))).toEqual([])
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("a held message this process no longer holds (its settle could not move it) is found again by its next claim", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const dir = (yield* BusDir).inboxDir(bob)
      const sent = yield* sendThree
      const taken = yield* mailbox.take(bob, Option.none())
      expect(taken.messages).toEqual(sent)
      // The inbox cannot take them back: a directory sits at each name (the put-back fails).
      for (const name of fs.readdirSync(join(dir, "claimed"))) {
        fs.mkdirSync(join(dir, name.slice(name.indexOf(".") + 1)))
      }
      yield* taken.settle(false)
      for (const entry of fs.readdirSync(dir).filter((name) => name.endsWith(".json"))) fs.rmdirSync(join(dir, entry))
      expect(fs.readdirSync(join(dir, "claimed"))).toHaveLength(3)

      expect((yield* mailbox.claim(bob, Option.none())).messages).toEqual(sent)
      expect(fs.readdirSync(join(dir, "claimed"))).toEqual([])
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("settled as read while archive/ is a symlink out of the bus dir: nothing is moved there, nothing comes back", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const dir = (yield* BusDir).inboxDir(bob)
      yield* sendThree
      const outside = fs.mkdtempSync(join(dir, "..", "..", "outside-"))
      fs.rmSync(join(dir, "archive"), { recursive: true, force: true })
      fs.symlinkSync(outside, join(dir, "archive"))
      expect((yield* mailbox.claim(bob, Option.none())).messages).toHaveLength(3)
      expect(fs.readdirSync(outside)).toEqual([])
      expect(fs.readdirSync(join(dir, "claimed"))).toEqual([])
      expect(yield* mailbox.claim(bob, Option.none())).toEqual({ messages: [], quarantined: [], remaining: 0 })
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("a message caught between being linked into place and its temporary name removed is read at once", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const dir = (yield* BusDir).inboxDir(bob)
      const sent = yield* sendThree
      const [first] = fs.readdirSync(dir).filter((entry) => entry.endsWith(".json")).sort()
      // Its sender (our parent, alive) has linked it into place and not yet removed its temporary name.
      fs.linkSync(join(dir, first!), join(dir, `.${first}.${process.ppid}.0123456789ab.tmp`))
      const pending = yield* mailbox.pending(bob)
      expect(pending.map((message) => message.from)).toEqual(["proj:alice", "proj:alice", "proj:alice"])
      expect(yield* mailbox.claim(bob, Option.none())).toEqual({ messages: sent, quarantined: [], remaining: 0 })
    }).pipe(Effect.provide(mailboxLive())))

  it.effect("a message file whose second link is not its own temporary name is quarantined unread", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const dir = (yield* BusDir).inboxDir(bob)
      const [, second, third] = yield* sendThree
      const [first] = fs.readdirSync(dir).filter((entry) => entry.endsWith(".json")).sort()
      fs.linkSync(join(dir, first!), join(dir, "..", "..", "elsewhere"))
      expect((yield* mailbox.pending(bob)).map((message) => message.from)).toEqual([
        "unknown",
        "proj:alice",
        "proj:alice"
      ])
      const claimed = yield* mailbox.claim(bob, Option.none())
      expect(claimed.messages).toEqual([second, third])
      expect(claimed.quarantined).toEqual([{ file: first, reason: expect.stringMatching(/2 hard links/) }])
    }).pipe(Effect.provide(mailboxLive())))
})
