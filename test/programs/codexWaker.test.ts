import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Ref, SubscriptionRef, TestClock } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as AppTest from "../../src/layers/AppTest.js"
import * as CodexThreadsTest from "../../src/layers/CodexThreadsTest.js"
import { wakeCodexSession } from "../../src/programs/codexWaker.js"
import type { ThreadState } from "../../src/services/CodexThreads.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { Registry } from "../../src/services/Registry.js"
import { claimAll, seedAgent, untilHolds } from "../support/unitBus.js"
import { message } from "../support/unitFixtures.js"

const bus = Layer.merge(AppTest.layerTest({ selfId: "test:general" }), CodexThreadsTest.layerTest)
const agent = "api:codex" as AgentId

const deliver = (from: string) =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox
    yield* mailbox.deliver(agent, message({ from, to: agent, sentAt: yield* mailbox.nextSentAt }))
  })

const setThread = (threadId: string, state: ThreadState) =>
  Effect.flatMap(
    CodexThreadsTest.CodexThreadsTestControl,
    (control) => SubscriptionRef.update(control.states, (states) => new Map(states).set(threadId, state))
  )

const turns = Effect.flatMap(CodexThreadsTest.CodexThreadsTestControl, (control) => Ref.get(control.turns))

const wakes = Effect.flatMap(Registry, (registry) => registry.wakesOf(agent))

/** Starts the waker for `agent`, bound to `thread-1`, and waits until it holds the agent's inbox. */
const startWaker = Effect.gen(function*() {
  yield* seedAgent(agent, { runtime: "codex", sessionId: "thread-1" })
  const fiber = yield* Effect.fork(wakeCodexSession(agent, 999))
  const mailbox = yield* Mailbox
  yield* untilHolds(mailbox.hasWaiter(agent))
  return fiber
})

describe("the Codex launch wrapper's waker", () => {
  it.effect("new mail starts a turn with the fixed notice in the idle thread bound to the agent, and records a confirmed daemon wake", () =>
    Effect.gen(function*() {
      yield* setThread("thread-1", "idle")
      const fiber = yield* startWaker
      yield* deliver("lead:planner")
      yield* untilHolds(Effect.map(turns, (started) => started.length === 1))
      expect(yield* turns).toEqual([{ threadId: "thread-1", text: nudgeText }])
      expect((yield* wakes).map((wake) => [wake.method, wake.confirmed])).toEqual([["daemon", true]])
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
    }).pipe(Effect.provide(bus)))

  it.effect("mail during a running turn starts no turn until the thread is idle; mail read by then starts none", () =>
    Effect.gen(function*() {
      yield* setThread("thread-1", "active")
      yield* startWaker
      yield* deliver("lead:planner")
      yield* TestClock.adjust("10 seconds")
      expect(yield* turns).toEqual([])
      yield* claimAll(agent)
      yield* setThread("thread-1", "idle")
      yield* TestClock.adjust("1 second")
      expect(yield* turns).toEqual([])
      yield* deliver("web:frontend")
      yield* TestClock.adjust("31 seconds")
      yield* untilHolds(Effect.map(turns, (started) => started.length === 1))
    }).pipe(Effect.provide(bus)))

  it.effect("a second batch of mail within the throttle wakes the session once the 30 s are over", () =>
    Effect.gen(function*() {
      yield* setThread("thread-1", "idle")
      yield* startWaker
      yield* deliver("lead:planner")
      yield* untilHolds(Effect.map(turns, (started) => started.length === 1))
      yield* setThread("thread-1", "idle")
      yield* deliver("web:frontend")
      yield* TestClock.adjust("20 seconds")
      expect(yield* turns).toHaveLength(1)
      yield* TestClock.adjust("11 seconds")
      yield* untilHolds(Effect.map(turns, (started) => started.length === 2))
    }).pipe(Effect.provide(bus)))

  it.effect("with no thread bound to the agent, starts nothing and records why", () =>
    Effect.gen(function*() {
      yield* seedAgent(agent, { runtime: "codex", sessionId: "" })
      yield* Effect.fork(wakeCodexSession(agent, 999))
      const mailbox = yield* Mailbox
      yield* untilHolds(mailbox.hasWaiter(agent))
      yield* deliver("lead:planner")
      yield* TestClock.adjust("31 seconds")
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 1))
      expect(yield* turns).toEqual([])
      expect(yield* wakes).toMatchObject([{
        method: "none",
        confirmed: false,
        reason: "no Codex thread is bound to the agent"
      }])
    }).pipe(Effect.provide(bus)))

  it.effect("a daemon that is gone is recorded as an unconfirmed daemon wake, and the waker keeps waiting", () =>
    Effect.gen(function*() {
      const control = yield* CodexThreadsTest.CodexThreadsTestControl
      yield* setThread("thread-1", "idle")
      const fiber = yield* startWaker
      yield* Ref.set(control.down, true)
      yield* deliver("lead:planner")
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 1))
      expect(yield* wakes).toMatchObject([{ method: "daemon", confirmed: false, reason: "no Codex daemon (test)" }])
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
    }).pipe(Effect.provide(bus)))

  it.effect("another waiter of the agent is left alone: the waker ends at once", () =>
    Effect.gen(function*() {
      yield* seedAgent(agent, { runtime: "codex", sessionId: "thread-1" })
      const mailbox = yield* Mailbox
      const held = yield* Effect.scoped(Effect.gen(function*() {
        expect(yield* mailbox.holdWaiter(agent)).toBe(true)
        return yield* wakeCodexSession(agent, 999)
      }))
      expect(held).toBe(false)
    }).pipe(Effect.provide(bus)))
})
