import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck, type Layer, Option, Queue, TestClock } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import { Message, messageFileName } from "../../src/domain/Message.js"
import { readBudgetBytes } from "../../src/domain/ReadLimits.js"
import * as MailboxPg from "../../src/layers/MailboxPg.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { noPostgres, onFreshPgBus } from "../support/pg/pgLayers.js"
import { message } from "../support/unitFixtures.js"
import { mailboxLive, mailboxTest, type UnitConfig } from "../support/unitLayers.js"

const bob = "proj:bob" as AgentId
const alice = "proj:alice"

/** Delivers a message from `from` to bob with the mailbox's next send time. */
const send = (fields: { readonly from?: string; readonly content?: string; readonly topic?: string | null } = {}) =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const sent = message({ from: fields.from ?? alice, to: bob, sentAt: yield* mailbox.nextSentAt, ...fields })
    yield* mailbox.deliver(bob, sent)
    return sent
  })

const claimAll = Effect.flatMap(Mailbox, (mailbox) => mailbox.claim(bob, Option.none()))

/** The Mailbox contract, run against every implementation. */
const mailboxContract = (name: string, makeLayer: (config?: UnitConfig) => Layer.Layer<Mailbox, unknown>) =>
  describe(`Mailbox contract: ${name}`, () => {
    it.effect("a delivered message is claimed exactly once", () =>
      Effect.gen(function*() {
        const sent = yield* send({ content: "ship it" })
        expect(yield* claimAll).toEqual({ messages: [sent], quarantined: [], remaining: 0 })
        expect(yield* claimAll).toEqual({ messages: [], quarantined: [], remaining: 0 })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("claiming an inbox that never received anything gives nothing", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        expect(yield* mailbox.claim("proj:nobody" as AgentId, Option.none())).toEqual({
          messages: [],
          quarantined: [],
          remaining: 0
        })
        expect(yield* mailbox.pending("proj:nobody" as AgentId)).toEqual([])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("messages are claimed oldest first, across senders", () =>
      Effect.gen(function*() {
        const first = yield* send({ from: "proj:carol", content: "1" })
        yield* TestClock.adjust("1 second")
        const second = yield* send({ from: alice, content: "2" })
        yield* TestClock.adjust("1 second")
        const third = yield* send({ from: "proj:carol", content: "3" })
        expect((yield* claimAll).messages).toEqual([first, second, third])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a topic claim takes only that topic and leaves the others unread", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const build = yield* send({ topic: "build" })
        const review = yield* send({ topic: "review" })
        const plain = yield* send({ topic: null })
        expect(yield* mailbox.claim(bob, Option.some("build"))).toEqual({
          messages: [build],
          quarantined: [],
          remaining: 0
        })
        expect((yield* mailbox.pending(bob)).map((p) => p.topic)).toEqual(["review", null])
        expect((yield* claimAll).messages).toEqual([review, plain])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("pending shows unread messages oldest first without claiming them", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const one = yield* send({ from: alice, topic: "t" })
        const two = yield* send({ from: "proj:carol" })
        const pending = yield* mailbox.pending(bob)
        expect(pending.map((p) => [p.from, p.topic])).toEqual([[alice, "t"], ["proj:carol", null]])
        expect(yield* mailbox.pending(bob)).toEqual(pending)
        expect((yield* claimAll).messages).toEqual([one, two])
        expect(yield* mailbox.pending(bob)).toEqual([])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("an inbox at the unread limit refuses a delivery with InboxFull until it is read", () =>
      Effect.gen(function*() {
        yield* send()
        yield* send()
        const refused = yield* Effect.exit(send())
        expect(refused).toEqual(
          Exit.fail(expect.objectContaining({ _tag: "InboxFull", agentId: bob, unread: 2, limit: 2 }))
        )
        expect((yield* claimAll).messages).toHaveLength(2)
        yield* send()
        expect((yield* claimAll).messages).toHaveLength(1)
      }).pipe(Effect.provide(makeLayer({ maxUnread: 2 }))))

    it.effect("another inbox is not affected by a full one", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        yield* send()
        const other = "proj:carol" as AgentId
        yield* mailbox.deliver(other, message({ from: alice, to: other, sentAt: yield* mailbox.nextSentAt }))
        expect(yield* mailbox.pending(other)).toHaveLength(1)
      }).pipe(Effect.provide(makeLayer({ maxUnread: 1 }))))

    it.effect("one fan-out delivers to every inbox with room and tells which one is full, in order", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        yield* send()
        const carol = "proj:carol" as AgentId
        const dave = "proj:dave" as AgentId
        const sentAt = yield* mailbox.nextSentAt
        const outcomes = yield* mailbox.deliverEach(
          [carol, bob, dave].map((to) => ({ agentId: to, message: message({ from: alice, to, sentAt }) }))
        )
        expect(outcomes.map((outcome) => outcome._tag)).toEqual(["Right", "Left", "Right"])
        expect(outcomes[1]).toEqual(
          expect.objectContaining({ left: expect.objectContaining({ _tag: "InboxFull", agentId: bob }) })
        )
        expect(yield* mailbox.pending(carol)).toHaveLength(1)
        expect(yield* mailbox.pending(dave)).toHaveLength(1)
        expect(yield* mailbox.pending(bob)).toHaveLength(1)
      }).pipe(Effect.provide(makeLayer({ maxUnread: 1 }))))

    it.effect("waitersAmong names the agents whose inbox a waiter holds, and no other", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const carol = "proj:carol" as AgentId
        yield* mailbox.ensureInbox(carol)
        expect(yield* mailbox.waitersAmong([bob, carol])).toEqual(new Set())
        yield* Effect.scoped(Effect.gen(function*() {
          expect(yield* mailbox.holdWaiter(carol)).toBe(true)
          expect(yield* mailbox.waitersAmong([bob, carol])).toEqual(new Set([carol]))
        }))
        expect(yield* mailbox.waitersAmong([bob, carol])).toEqual(new Set())
      }).pipe(Effect.provide(makeLayer())))

    it.effect("nextSentAt is strictly increasing while the clock stands still", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const stamps: Array<string> = []
        for (let i = 0; i < 50; i++) stamps.push(yield* mailbox.nextSentAt)
        for (let i = 1; i < stamps.length; i++) expect(stamps[i - 1]! < stamps[i]!).toBe(true)
        yield* TestClock.adjust("1 second")
        const later = yield* mailbox.nextSentAt
        expect(later).toBe("1970-01-01T00:00:01.000000+00:00")
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a claim returns at most `limit` messages, oldest first, and counts the rest in remaining", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        const sent = []
        for (let i = 0; i < 5; i++) sent.push(yield* send({ content: `m${i}`, topic: i % 2 === 0 ? "even" : "odd" }))
        const first = yield* mailbox.claim(bob, Option.none(), 2)
        expect(first).toEqual({ messages: sent.slice(0, 2), quarantined: [], remaining: 3 })
        const even = yield* mailbox.claim(bob, Option.some("even"), 1)
        expect(even).toEqual({ messages: [sent[2]], quarantined: [], remaining: 1 })
        expect(yield* claimAll).toEqual({ messages: [sent[3], sent[4]], quarantined: [], remaining: 0 })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a claim stays within the read budget of bytes, and always takes at least one message", () =>
      Effect.gen(function*() {
        const big = "b".repeat(Math.floor(readBudgetBytes / 3))
        const sent = []
        for (let i = 0; i < 4; i++) sent.push(yield* send({ content: big }))
        const first = yield* claimAll
        expect(first.messages).toEqual(sent.slice(0, 2))
        expect(first.remaining).toBe(2)
        expect((yield* claimAll).messages).toEqual(sent.slice(2))
        const huge = yield* send({ content: "h".repeat(readBudgetBytes + 1) })
        expect(yield* claimAll).toEqual({ messages: [huge], quarantined: [], remaining: 0 })
      }).pipe(Effect.provide(makeLayer({ maxMessageBytes: readBudgetBytes * 2 }))))

    it.effect("followInboxes tells each delivery, then the claim that reads it, with the copy's id, sender, topic and priority", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        yield* mailbox.ensureInbox(bob)
        const events = yield* mailbox.followInboxes
        const sent = yield* send({ topic: "feed" })
        const copy = { file: messageFileName(sent), id: sent.id, from: alice, topic: "feed", priority: "normal" }
        expect(yield* Queue.take(events)).toEqual({ event: "delivered", agentId: bob, message: copy })
        const urgent = new Message({
          ...message({ from: "proj:carol", to: bob, sentAt: yield* mailbox.nextSentAt }),
          priority: "urgent"
        })
        yield* mailbox.deliver(bob, urgent)
        const urgentCopy = {
          file: messageFileName(urgent),
          id: urgent.id,
          from: "proj:carol",
          topic: null,
          priority: "urgent"
        }
        expect(yield* Queue.take(events)).toEqual({ event: "delivered", agentId: bob, message: urgentCopy })
        expect((yield* claimAll).messages).toEqual([urgent, sent])
        const reads = [yield* Queue.take(events), yield* Queue.take(events)]
        expect(reads).toEqual(expect.arrayContaining([
          { event: "read", agentId: bob, message: copy },
          { event: "read", agentId: bob, message: urgentCopy }
        ]))
      }).pipe(Effect.scoped, Effect.provide(makeLayer())))

    it.effect("followInboxes tells no read of a claim given back; the claim that reads it later is told", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        yield* mailbox.ensureInbox(bob)
        const events = yield* mailbox.followInboxes
        const sent = yield* send()
        expect(yield* Queue.take(events)).toMatchObject({ event: "delivered", message: { id: sent.id } })
        const taken = yield* mailbox.take(bob, Option.none())
        yield* taken.settle(false)
        // The next event is this delivery's, not a read of the first message.
        const later = yield* send()
        expect(yield* Queue.take(events)).toMatchObject({ event: "delivered", message: { id: later.id } })
        yield* claimAll
        const reads = [yield* Queue.take(events), yield* Queue.take(events)]
        expect(reads.map((event) => [event.event, event.message.id]).sort()).toEqual(
          [["read", sent.id], ["read", later.id]].sort()
        )
      }).pipe(Effect.scoped, Effect.provide(makeLayer())))

    it.effect("ensureInbox is idempotent and creates no message", () =>
      Effect.gen(function*() {
        const mailbox = yield* Mailbox
        yield* mailbox.ensureInbox(bob)
        yield* mailbox.ensureInbox(bob)
        expect(yield* mailbox.pending(bob)).toEqual([])
      }).pipe(Effect.provide(makeLayer())))

    it.effect.prop(
      "any sequence of sends from one sender is claimed in send order",
      [FastCheck.array(
        FastCheck.record({
          content: FastCheck.string({ minLength: 1 }),
          pauseMillis: FastCheck.constantFrom(0, 0, 1, 7)
        }),
        {
          minLength: 1,
          maxLength: 20
        }
      )],
      ([sends]) =>
        Effect.gen(function*() {
          const sent = []
          for (const { content, pauseMillis } of sends) {
            sent.push(yield* send({ content }))
            if (pauseMillis > 0) yield* TestClock.adjust(pauseMillis)
          }
          expect((yield* claimAll).messages.map((m) => m.id)).toEqual(sent.map((m) => m.id))
        }).pipe(Effect.provide(makeLayer())),
      { fastCheck: { numRuns: name === "live" ? 25 : 100 } }
    )

    it.effect.prop(
      "two concurrent claimers together get every message exactly once",
      [FastCheck.integer({ min: 1, max: 30 }), FastCheck.integer({ min: 0, max: 10 })],
      ([before, during]) =>
        Effect.gen(function*() {
          const delivered = new Set<string>()
          for (let i = 0; i < before; i++) delivered.add((yield* send()).id)
          const [, first, second] = yield* Effect.all([
            Effect.forEach(Array.from({ length: during }), () => Effect.map(send(), (m) => delivered.add(m.id))),
            claimAll,
            claimAll
          ], { concurrency: 3 })
          const rest = yield* claimAll
          const claimed = [...first.messages, ...second.messages, ...rest.messages].map((m) => m.id)
          expect(claimed).toHaveLength(delivered.size)
          expect(new Set(claimed)).toEqual(delivered)
        }).pipe(Effect.provide(makeLayer())),
      { fastCheck: { numRuns: name === "live" ? 25 : 100 } }
    )
  })

mailboxContract("live", mailboxLive)
mailboxContract("test", mailboxTest)
describe.skipIf(noPostgres)("on PostgreSQL", () => {
  mailboxContract("PostgreSQL", (config) => onFreshPgBus(MailboxPg.layer, config))
})
