import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Ref, TestClock } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as AppTest from "../../src/layers/AppTest.js"
import { TmuxTestControl } from "../../src/layers/TmuxTest.js"
import { idleTui, type SimulatedTui } from "../../src/layers/TmuxTestScreen.js"
import { sendMessage } from "../../src/programs/bus.js"
import { wakeOwnPane } from "../../src/programs/paneWaker.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { Registry } from "../../src/services/Registry.js"
import { claimAll, seedAgent, setPanes, tmuxCalls, untilHolds } from "../support/unitBus.js"
import { pane } from "../support/unitFixtures.js"

const bus = AppTest.layerTest({ selfId: "lead:planner" })
const agent = "api:grok" as AgentId

const wakes = Effect.map(
  Effect.flatMap(Registry, (registry) => registry.wakesOf(agent)),
  (found) => found.map((wake) => [wake.method, wake.confirmed, wake.reason])
)

const typed = Effect.map(
  tmuxCalls,
  (calls) => calls.filter((call) => call.op === "typeLiteral").map((call) => call.text)
)

const enters = Effect.map(tmuxCalls, (calls) => calls.filter((call) => call.op === "pressEnter").length)

const showing = (tui: SimulatedTui) =>
  Effect.flatMap(
    TmuxTestControl,
    (control) => Ref.update(control.screens, (screens) => new Map(screens).set("%7", tui))
  )

/**
 * Registers a wrapped runtime (Grok by default) in pane %7, starts its own pane's waker, and waits until it holds the
 * agent's inbox.
 */
const startWaker = (runtime = "grok") =>
  Effect.gen(function*() {
    yield* seedAgent("lead:planner")
    const row = yield* seedAgent(agent, { runtime, paneId: "%7", tmuxTarget: "s:0.1" })
    yield* setPanes(pane("%7", "s:0.1", { command: runtime }))
    const fiber = yield* Effect.fork(wakeOwnPane(row, 999))
    yield* untilHolds(Effect.flatMap(Mailbox, (mailbox) => mailbox.hasWaiter(agent)))
    return fiber
  })

describe("the launch wrapper's waker of its own pane", () => {
  it.effect("a sender leaves the wake to it and types nothing; the waker types the fixed notice once and records a confirmed nudge", () =>
    Effect.gen(function*() {
      const fiber = yield* startWaker()
      const sent = yield* sendMessage({ to: agent, content: "SECRET-CONTENT" })
      expect(sent.wakes).toEqual([{ agent_id: agent, wake: "nudge", confirmed: false, pending: true }])
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 1))
      expect(yield* wakes).toEqual([["nudge", true, ""]])
      expect(yield* typed).toEqual([nudgeText])
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
    }).pipe(Effect.provide(bus)))

  it.effect("a TUI showing a dialog is not typed into; the unread mail is woken for again 2 s later, once it is gone", () =>
    Effect.gen(function*() {
      yield* startWaker("codex")
      yield* showing(idleTui("›", { dialog: "Hooks need review" }))
      yield* sendMessage({ to: agent, content: "hello" })
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 1))
      expect(yield* wakes).toEqual([["none", false, "dialog_open"]])
      expect(yield* typed).toEqual([])
      yield* showing(idleTui("›"))
      yield* TestClock.adjust("2 seconds")
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 2))
      expect((yield* wakes)[1]).toEqual(["nudge", true, ""])
      expect(yield* typed).toEqual([nudgeText])
    }).pipe(Effect.provide(bus)))

  it.effect("a notice that was not seen to start a turn is submitted again in the next throttle window, not typed twice; mail read meanwhile is not woken for", () =>
    Effect.gen(function*() {
      yield* startWaker("codex")
      yield* showing(idleTui("›", { ignoredEnters: 2 }))
      yield* sendMessage({ to: agent, content: "hello" })
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 1))
      expect(yield* wakes).toEqual([["nudge", false, "not_confirmed"]])
      yield* TestClock.adjust("20 seconds")
      expect(yield* wakes).toHaveLength(1)
      yield* TestClock.adjust("11 seconds")
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 2))
      expect((yield* wakes)[1]).toEqual(["nudge", true, ""])
      expect(yield* typed).toEqual([nudgeText])
      expect(yield* enters).toBe(3)

      yield* showing(idleTui("›", { ignoredEnters: 2 }))
      yield* sendMessage({ to: agent, content: "again" })
      yield* TestClock.adjust("31 seconds")
      yield* untilHolds(Effect.map(wakes, (found) => found.length === 3))
      yield* claimAll(agent)
      yield* TestClock.adjust("31 seconds")
      expect(yield* wakes).toHaveLength(3)
    }).pipe(Effect.provide(bus)))

  it.effect("another waiter of the agent is left alone: the waker ends at once", () =>
    Effect.gen(function*() {
      const row = yield* seedAgent(agent, { runtime: "grok", paneId: "%7" })
      const mailbox = yield* Mailbox
      const held = yield* Effect.scoped(Effect.gen(function*() {
        expect(yield* mailbox.holdWaiter(agent)).toBe(true)
        return yield* wakeOwnPane(row, 999)
      }))
      expect(held).toBe(false)
    }).pipe(Effect.provide(bus)))
})
