/** Delivery status, acknowledgements, threads and urgent mail through the bus programs, on the in-memory bus. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Option } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import { stateRank } from "../../src/domain/DeliveryState.js"
import * as AppTest from "../../src/layers/AppTest.js"
import {
  acknowledgeMessage,
  getMessages,
  getThread,
  messageStatus,
  searchMessages,
  sendMessage,
  takeMessages
} from "../../src/programs/bus.js"
import { mailSummary } from "../../src/programs/session.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { Registry } from "../../src/services/Registry.js"
import { seedAgent } from "../support/unitBus.js"

const alice = "proj:alice"
const bob = "proj:bob"
const carol = "proj:carol"
const dave = "proj:dave"
const bus = AppTest.layerTest({ selfId: alice })

const seedAll = Effect.forEach([alice, bob, carol, dave], (id) => seedAgent(id), { discard: true })

const stateOf = (messageId: string, agentId: string, asker = agentId) =>
  Effect.map(
    messageStatus({ message_id: messageId, agent_id: asker }),
    (status) => status.recipients.find((recipient) => recipient.agent_id === agentId)!
  )

describe("delivery status", () => {
  it.effect("a message asking for an acknowledgement goes unread → read → acknowledged, and its sender is told", () =>
    Effect.gen(function*() {
      yield* seedAll
      const sent = yield* sendMessage({ to: bob, content: "deploy v2", from_agent: alice, ack_required: true })
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ agent_id: bob, state: "unread" })
      const read = yield* getMessages({ agent_id: bob })
      expect(read.messages.map((message) => message.id)).toEqual([sent.message_id])
      expect(read.messages[0]).toMatchObject({ ack_required: true, thread_id: sent.message_id, priority: "normal" })
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ state: "read", read_at: expect.any(String) })
      // Read and not acknowledged: the hook notices remind the recipient.
      expect(Option.getOrThrow(yield* mailSummary(bob)).text).toContain("1 message(s) await your acknowledgement")

      const acked = yield* acknowledgeMessage({ message_id: sent.message_id, note: "done, v2 is live", agent_id: bob })
      expect(acked).toMatchObject({ acknowledged: true, first: true, sender_notified: true })
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({
        state: "acknowledged",
        acknowledged_at: acked.acknowledged_at,
        note: "done, v2 is live"
      })
      expect(yield* mailSummary(bob)).toEqual(Option.none())
      const [ack] = (yield* getMessages({ agent_id: alice })).messages
      expect(ack).toMatchObject({ from: bob, topic: "ack", in_reply_to: sent.message_id, thread_id: sent.message_id })
      expect(ack!.content).toContain("done, v2 is live")
    }).pipe(Effect.provide(bus)))

  it.effect("acknowledging twice changes nothing and tells the sender once; a sender that opted out is not told", () =>
    Effect.gen(function*() {
      yield* seedAll
      const sent = yield* sendMessage({ to: bob, content: "a", from_agent: alice, ack_required: true })
      const first = yield* acknowledgeMessage({ message_id: sent.message_id, agent_id: bob })
      const second = yield* acknowledgeMessage({ message_id: sent.message_id, note: "again", agent_id: bob })
      expect(second).toMatchObject({ first: false, sender_notified: false, acknowledged_at: first.acknowledged_at })
      expect((yield* getMessages({ agent_id: alice })).messages).toHaveLength(1)
      const quiet = yield* sendMessage({ to: bob, content: "b", from_agent: alice, ack_notify: false })
      expect(yield* acknowledgeMessage({ message_id: quiet.message_id, agent_id: bob })).toMatchObject({
        first: true,
        sender_notified: false
      })
      expect((yield* getMessages({ agent_id: alice })).messages).toEqual([])
    }).pipe(Effect.provide(bus)))

  it.effect("only the sender and the recipients see a status; a recipient sees its own copy, the sender everyone's", () =>
    Effect.gen(function*() {
      yield* seedAll
      const sent = yield* sendMessage({ to: `${bob};${carol}`, content: "hi", from_agent: alice })
      expect((yield* messageStatus({ message_id: sent.message_id, agent_id: alice })).recipients.map((r) => r.agent_id))
        .toEqual([bob, carol])
      expect((yield* messageStatus({ message_id: sent.message_id, agent_id: bob })).recipients.map((r) => r.agent_id))
        .toEqual([bob])
      const refused = yield* Effect.flip(messageStatus({ message_id: sent.message_id, agent_id: dave }))
      expect(refused._tag).toBe("NotAParticipant")
      expect(refused.message).toContain("only its sender and its recipients")
      expect((yield* Effect.flip(messageStatus({ message_id: "no-such-id", agent_id: bob })))._tag).toBe(
        "MessageNotFound"
      )
      expect((yield* Effect.flip(messageStatus({ message_id: " ", agent_id: bob })))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(acknowledgeMessage({ message_id: sent.message_id, agent_id: alice })))._tag).toBe(
        "NotAParticipant"
      )
    }).pipe(Effect.provide(bus)))

  it.effect("a recipient that left the bus with the message unread has it expired", () =>
    Effect.gen(function*() {
      yield* seedAll
      const sent = yield* sendMessage({ to: bob, content: "hello?", from_agent: alice })
      yield* Effect.flatMap(Registry, (registry) => registry.unregister(bob as AgentId))
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ state: "expired" })
    }).pipe(Effect.provide(bus)))

  it.effect("a message held by a reader that has not handed it over yet is unread; put back, still unread", () =>
    Effect.gen(function*() {
      yield* seedAll
      const sent = yield* sendMessage({ to: bob, content: "x", from_agent: alice })
      const taken = yield* takeMessages({ agent_id: bob })
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ state: "unread" })
      yield* taken.settle(false)
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ state: "unread" })
      yield* getMessages({ agent_id: bob })
      expect(yield* stateOf(sent.message_id, bob, alice)).toMatchObject({ state: "read" })
    }).pipe(Effect.provide(bus)))
})

describe("threads", () => {
  it.effect("a thread across three agents: replies inherit it, every participant reads it whole, others may not", () =>
    Effect.gen(function*() {
      yield* seedAll
      const question = yield* sendMessage({ to: bob, content: "which port?", from_agent: alice })
      expect(question.thread_id).toBe(question.message_id)
      const answer = yield* sendMessage({
        to: alice,
        content: "8080",
        from_agent: bob,
        in_reply_to: question.message_id
      })
      const forward = yield* sendMessage({
        to: carol,
        content: "bob says 8080",
        from_agent: alice,
        in_reply_to: answer.message_id
      })
      expect([answer.thread_id, forward.thread_id]).toEqual([question.message_id, question.message_id])
      for (const participant of [alice, bob, carol]) {
        const thread = yield* getThread({ thread_id: question.thread_id, agent_id: participant })
        expect(thread.messages.map((message) => message.content)).toEqual(["which port?", "8080", "bob says 8080"])
        expect(thread.messages[1]).toMatchObject({ from: bob, to: [alice], in_reply_to: question.message_id })
      }
      expect((yield* getThread({ thread_id: question.thread_id, agent_id: carol, limit: 2 })).messages).toHaveLength(2)
      // Reading a thread claims nothing.
      const mailbox = yield* Mailbox
      expect(yield* mailbox.pending(carol as AgentId)).toHaveLength(1)
      expect((yield* Effect.flip(getThread({ thread_id: question.thread_id, agent_id: dave })))._tag).toBe(
        "NotAParticipant"
      )
      expect((yield* Effect.flip(getThread({ thread_id: "nope", agent_id: alice })))._tag).toBe("InvalidInput")
      // A reply to a message the sender never saw is refused before anything is delivered.
      const refused = yield* Effect.flip(
        sendMessage({ to: bob, content: "x", from_agent: dave, in_reply_to: question.message_id })
      )
      expect(refused._tag).toBe("NotAParticipant")
      // Nor does naming the thread let an outsider in.
      const intruder = yield* Effect.flip(
        sendMessage({ to: bob, content: "x", from_agent: dave, thread_id: question.thread_id })
      )
      expect(intruder._tag).toBe("NotAParticipant")
      expect(yield* mailbox.pending(bob as AgentId)).toHaveLength(1)
      // A new thread id of one's own is fine.
      expect((yield* sendMessage({ to: bob, content: "y", from_agent: dave, thread_id: "dave-topic" })).thread_id).toBe(
        "dave-topic"
      )
    }).pipe(Effect.provide(bus)))
})

describe("urgent mail", () => {
  it.effect("get_messages returns urgent messages before normal ones, each group in send order", () =>
    Effect.gen(function*() {
      yield* seedAll
      for (const [content, priority] of [["n1", "normal"], ["u1", "urgent"], ["n2", "normal"], ["u2", "urgent"]]) {
        yield* sendMessage({ to: bob, content: content!, from_agent: alice, priority: priority as "normal" })
      }
      const notice = Option.getOrThrow(yield* mailSummary(bob)).text
      expect(notice).toContain("4 unread message(s) for 'proj:bob' (2 urgent, from proj:alice)")
      expect((yield* getMessages({ agent_id: bob, limit: 3 })).messages.map((message) => message.content)).toEqual([
        "u1",
        "u2",
        "n1"
      ])
    }).pipe(Effect.provide(bus)))
})

describe("search", () => {
  it.effect("finds the caller's own messages by a word of the content or the topic, never another's", () =>
    Effect.gen(function*() {
      yield* seedAll
      yield* sendMessage({ to: bob, content: "the migration failed", from_agent: alice })
      yield* sendMessage({ to: carol, content: "lunch?", topic: "migration", from_agent: alice })
      yield* sendMessage({ to: dave, content: "migration between dave and carol", from_agent: carol })
      const found = yield* searchMessages({ query: "migration", agent_id: bob })
      expect(found.results.map((result) => [result.content, result.state])).toEqual([[
        "the migration failed",
        "unread"
      ]])
      const sent = yield* searchMessages({ query: "MIGRATION", agent_id: alice })
      expect(sent.results.map((result) => result.state)).toEqual(["sent", "sent"])
      expect((yield* Effect.flip(searchMessages({ query: "   ", agent_id: bob })))._tag).toBe("InvalidInput")
    }).pipe(Effect.provide(bus)))
})

/** One step of the property's bus: a send, a read handed over, a read put back (a reader that died), an ack. */
const step = FastCheck.oneof(
  FastCheck.record({ op: FastCheck.constant("send" as const), ack: FastCheck.boolean(), urgent: FastCheck.boolean() }),
  FastCheck.record({
    op: FastCheck.constantFrom("read" as const, "crash" as const),
    limit: FastCheck.integer({ min: 1, max: 3 })
  }),
  FastCheck.record({ op: FastCheck.constant("ack" as const), pick: FastCheck.nat() })
)

describe("the state machine", () => {
  it.effect.prop(
    "states only move forward, and every message a reader got is read (or acknowledged) in its status",
    [FastCheck.array(step, { maxLength: 30 })],
    ([steps]) =>
      Effect.gen(function*() {
        yield* seedAll
        const sent: Array<string> = []
        const got = new Set<string>()
        const rank = new Map<string, number>()
        for (const next of steps) {
          if (next.op === "send") {
            const result = yield* sendMessage({
              to: bob,
              content: `m${sent.length}`,
              from_agent: alice,
              ack_required: next.ack,
              priority: next.urgent ? "urgent" : "normal",
              nudge: false
            })
            sent.push(result.message_id)
          } else if (next.op === "ack") {
            if (sent.length > 0) {
              yield* acknowledgeMessage({ message_id: sent[next.pick % sent.length]!, agent_id: bob }).pipe(
                Effect.ignore
              )
            }
          } else {
            const taken = yield* takeMessages({ agent_id: bob, limit: next.limit })
            yield* taken.settle(next.op === "read")
            if (next.op === "read") taken.messages.forEach((message) => got.add(message.id))
          }
          for (const id of sent) {
            const state = (yield* stateOf(id, bob, alice)).state
            expect(stateRank[state]).toBeGreaterThanOrEqual(rank.get(id) ?? 0)
            rank.set(id, stateRank[state])
          }
        }
        for (const id of got) expect(["read", "acknowledged"]).toContain((yield* stateOf(id, bob, alice)).state)
      }).pipe(Effect.provide(bus)),
    { fastCheck: { numRuns: 40 } }
  )
})
