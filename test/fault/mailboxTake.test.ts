/** The hold-until-settled claim (`take`/`settle`) that makes a reader crash a re-delivery, on both mailboxes. */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
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
})
