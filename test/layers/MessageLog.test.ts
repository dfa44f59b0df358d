/** The message log's contract, on SQLite and in memory. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import * as MessageLogPg from "../../src/layers/MessageLogPg.js"
import { type LoggedMessage, MessageLog } from "../../src/services/MessageLog.js"
import { noPostgres, onFreshPgBus } from "../support/pg/pgLayers.js"
import { messageLogLive, messageLogTest } from "../support/unitLayers.js"

const entry = (id: string, overrides: Partial<LoggedMessage> = {}): LoggedMessage => ({
  message_id: id,
  thread_id: id,
  in_reply_to: null,
  from: "proj:alice",
  topic: null,
  priority: "normal",
  ack_required: false,
  ack_notify: true,
  sent_at: `2026-11-30T10:00:0${id.length % 10}.000000+00:00`,
  content: `content of ${id}`,
  recipients: ["proj:bob"],
  ...overrides
})

const old = "2026-11-01T00:00:00.000000+00:00"

const contract = (name: string, layer: Layer.Layer<MessageLog, unknown>) =>
  describe(`MessageLog: ${name}`, () => {
    it.effect("a message logged twice keeps its first entry and gains the new recipients", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        yield* log.record([entry("m1")], old)
        yield* log.record([entry("m1", { content: "other", recipients: ["proj:carol"] })], old)
        const found = Option.getOrThrow(yield* log.find("m1"))
        expect(found.content).toBe("content of m1")
        expect([...found.recipients].sort()).toEqual(["proj:bob", "proj:carol"])
        expect(yield* log.known(["m1", "m2"])).toEqual(new Set(["m1"]))
      }).pipe(Effect.provide(layer)))

    it.effect("a thread lists its messages oldest first; participants are its senders and recipients", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        yield* log.record([
          entry("t-2", { thread_id: "t", sent_at: "2026-11-30T10:00:02.000000+00:00", from: "proj:bob" }),
          entry("t-1", { thread_id: "t", sent_at: "2026-11-30T10:00:01.000000+00:00" })
        ], old)
        expect((yield* log.thread("t", 10)).map((message) => message.message_id)).toEqual(["t-1", "t-2"])
        expect((yield* log.recent(1)).map((message) => message.message_id)).toEqual(["t-2"])
        expect(yield* log.inThread("t", "proj:bob")).toBe(true)
        expect(yield* log.inThread("t", "proj:dave")).toBe(false)
      }).pipe(Effect.provide(layer)))

    it.effect("one acknowledgement per recipient: the second is refused and the first kept", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        yield* log.record([entry("a1")], old)
        expect(yield* log.acknowledge("a1", { agent_id: "proj:bob", at: "t1", note: "ok" })).toBe(true)
        expect(yield* log.acknowledge("a1", { agent_id: "proj:bob", at: "t2", note: null })).toBe(false)
        expect(yield* log.acknowledgements("a1")).toEqual([{ agent_id: "proj:bob", at: "t1", note: "ok" }])
      }).pipe(Effect.provide(layer)))

    it.effect("search matches every word, in the caller's messages only", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        yield* log.record([
          entry("s1", { content: "red green blue" }),
          entry("s2", { content: "red only", recipients: ["proj:carol"] })
        ], old)
        expect((yield* log.search("proj:bob", ["red", "blue"], 10)).map((hit) => hit.message.message_id)).toEqual([
          "s1"
        ])
        expect(yield* log.search("proj:bob", ["red", "purple"], 10)).toEqual([])
        expect(yield* log.search("proj:alice", ["red"], 10)).toHaveLength(2)
      }).pipe(Effect.provide(layer)))

    it.effect("entries sent before the horizon are forgotten, with their recipients and acknowledgements", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        const older = "2026-09-01T00:00:00.000000+00:00"
        yield* log.record([entry("old1", { sent_at: "2026-10-01T00:00:00.000000+00:00", content: "ancient" })], older)
        yield* log.acknowledge("old1", { agent_id: "proj:bob", at: "t", note: null })
        expect(Option.isSome(yield* log.find("old1"))).toBe(true)
        // The log forgets at most once an hour per process.
        yield* TestClock.adjust("2 hours")
        yield* log.record([entry("new1")], old)
        expect(yield* log.find("old1")).toEqual(Option.none())
        expect(yield* log.search("proj:bob", ["ancient"], 10)).toEqual([])
        expect(yield* log.acknowledgements("old1")).toEqual([])
        expect(Option.isSome(yield* log.find("new1"))).toBe(true)
      }).pipe(Effect.provide(layer)))

    it.effect("records thousands of messages at once (an inbox indexed from its files)", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        const many = Array.from({ length: 5000 }, (_, n) => entry(`bulk-${n}`, { content: `bulk ${n}` }))
        yield* log.record(many, old)
        expect(yield* log.known(["bulk-0", "bulk-4999"])).toEqual(new Set(["bulk-0", "bulk-4999"]))
        expect(yield* log.search("proj:bob", ["bulk"], 3)).toHaveLength(3)
      }).pipe(Effect.provide(layer)))

    it.effect("remembers that the inbox files were indexed", () =>
      Effect.gen(function*() {
        const log = yield* MessageLog
        expect(yield* log.filesIndexed).toBe(false)
        yield* log.markFilesIndexed
        expect(yield* log.filesIndexed).toBe(true)
      }).pipe(Effect.provide(layer)))
  })

contract("live", messageLogLive)
contract("test", messageLogTest)

describe.skipIf(noPostgres)("on PostgreSQL", () => {
  contract("PostgreSQL", onFreshPgBus(MessageLogPg.layer))
})
