import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import { getMessages, listAgents, registerAgent, sendMessage } from "../../src/programs/bus.js"
import { seedAgent } from "../support/unitBus.js"

const me = "proj:me"
const bus = AppTest.layerTest({ selfId: me })

describe("tool arguments, decoded once where a program starts", () => {
  it.effect("text arguments are trimmed: the address, the ids, the reply address and the topic", () =>
    Effect.gen(function*() {
      yield* seedAgent("proj:bob")
      const sent = yield* sendMessage({
        to: "  proj:bob ",
        content: "  kept as sent  ",
        from_agent: " proj:alice ",
        reply_to: " proj:carol ",
        topic: " ci "
      })
      expect(sent.recipients).toEqual(["proj:bob"])
      const [message] = (yield* getMessages({ agent_id: " proj:bob ", topic: "ci" })).messages
      expect(message).toMatchObject({
        from: "proj:alice",
        reply_to: "proj:carol",
        topic: "ci",
        content: "  kept as sent  "
      })
    }).pipe(Effect.provide(bus)))

  it.effect("a blank optional argument counts as not given: reply_to falls back to the sender, a blank topic reads every topic", () =>
    Effect.gen(function*() {
      yield* seedAgent(me)
      yield* sendMessage({ to: me, content: "a", from_agent: "proj:alice", reply_to: "   ", topic: "  " })
      yield* sendMessage({ to: me, content: "b", topic: "other" })
      const read = yield* getMessages({ topic: "   " })
      expect(read.messages.map((message) => [message.content, message.reply_to, message.topic])).toEqual([[
        "a",
        "proj:alice",
        null
      ], ["b", me, "other"]])
    }).pipe(Effect.provide(bus)))

  it.effect("register_agent trims its id, type and runtime before checking them", () =>
    Effect.gen(function*() {
      const registered = yield* registerAgent({
        pwd: " /work/api ",
        agent_id: "  api:backend  ",
        agent_type: " backend ",
        runtime: " codex "
      })
      expect(registered.agent_id).toBe("api:backend")
      const [row] = yield* listAgents({ cwd_basename: " api " })
      expect(row).toMatchObject({ agent_id: "api:backend", agent_type: "backend", runtime: "codex" })
    }).pipe(Effect.provide(bus)))

  it.effect("an argument of the wrong shape (a library caller's) fails with InvalidInput naming its field", () =>
    Effect.gen(function*() {
      const refused = yield* Effect.flip(sendMessage({ to: me, content: 42 as unknown as string }))
      expect(refused._tag).toBe("InvalidInput")
      expect(refused._tag === "InvalidInput" && refused.field).toBe("content")
      const limit = yield* Effect.flip(getMessages({ limit: "ten" as unknown as number }))
      expect(limit._tag === "InvalidInput" && limit.field).toBe("limit")
    }).pipe(Effect.provide(bus)))
})
