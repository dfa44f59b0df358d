import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, PubSub, Queue } from "effect"
import { followEvents } from "../../src/cli/busEvents.js"
import type { AgentId } from "../../src/domain/AgentId.js"
import { messageFileName } from "../../src/domain/Message.js"
import * as BusTest from "../../src/layers/AppTest.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { message } from "../support/unitFixtures.js"

const bob = "proj:bob" as AgentId

describe("followEvents", () => {
  it.effect("publishes the mailbox's deliveries and reads as feed events, whatever the store", () =>
    Effect.gen(function*() {
      const mailbox = yield* Mailbox
      const events = yield* PubSub.subscribe(yield* followEvents)
      const sent = message({ from: "proj:alice", to: bob, sentAt: yield* mailbox.nextSentAt, topic: "feed" })
      yield* mailbox.deliver(bob, sent)
      const copy = {
        agent_id: bob,
        message_id: sent.id,
        from: "proj:alice",
        topic: "feed",
        priority: "normal",
        file: messageFileName(sent),
        at: expect.any(String)
      }
      expect(yield* Queue.take(events)).toEqual({ event: "delivered", ...copy })
      yield* mailbox.claim(bob, Option.none())
      expect(yield* Queue.take(events)).toEqual({ event: "read", ...copy })
    }).pipe(Effect.scoped, Effect.provide(BusTest.layerTest())))
})
