import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import { getMessages, sendMessage } from "../../src/programs/bus.js"
import { seedAgent, unread } from "../support/unitBus.js"

const me = "proj:me"
const bus = AppTest.layerTest({ selfId: me })

describe("getMessages", () => {
  it.effect("reads the caller's inbox by default and claims what it returns", () =>
    Effect.gen(function*() {
      yield* seedAgent(me)
      yield* seedAgent("proj:other")
      yield* sendMessage({ to: me, content: "for me", from_agent: "proj:alice" })
      yield* sendMessage({ to: "proj:other", content: "not for me", from_agent: "proj:alice" })
      const first = yield* getMessages({})
      expect(first.messages.map((m) => [m.to, m.content])).toEqual([[me, "for me"]])
      expect((yield* getMessages({})).messages).toEqual([])
      expect(yield* unread("proj:other")).toHaveLength(1)
    }).pipe(Effect.provide(bus)))

  it.effect("reads a named agent's inbox", () =>
    Effect.gen(function*() {
      yield* seedAgent("proj:other")
      yield* sendMessage({ to: "proj:other", content: "hi" })
      expect((yield* getMessages({ agent_id: "proj:other" })).messages.map((m) => m.content)).toEqual(["hi"])
    }).pipe(Effect.provide(bus)))

  it.effect("a topic read leaves messages of other topics unread", () =>
    Effect.gen(function*() {
      yield* seedAgent(me)
      yield* sendMessage({ to: me, content: "build broke", topic: "ci" })
      yield* sendMessage({ to: me, content: "lunch?" })
      expect((yield* getMessages({ topic: " ci " })).messages.map((m) => m.content)).toEqual(["build broke"])
      expect((yield* getMessages({})).messages.map((m) => m.content)).toEqual(["lunch?"])
    }).pipe(Effect.provide(bus)))

  it.effect("a malformed agent id fails with InvalidInput", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(getMessages({ agent_id: "../x" }))).toMatchObject({
        _tag: "InvalidInput",
        field: "agent_id"
      })
    }).pipe(Effect.provide(bus)))
})
