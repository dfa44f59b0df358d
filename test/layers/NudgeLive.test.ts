import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Ref, TestClock } from "effect"
import type { AgentRow } from "../../src/domain/AgentRecord.js"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as MailboxTest from "../../src/layers/MailboxTest.js"
import * as NudgeLive from "../../src/layers/NudgeLive.js"
import * as RegistryTest from "../../src/layers/RegistryTest.js"
import * as RuntimesLive from "../../src/layers/RuntimesLive.js"
import * as TmuxTest from "../../src/layers/TmuxTest.js"
import { idleTui, type SimulatedTui } from "../../src/layers/TmuxTestScreen.js"
import { Nudge, type NudgeOutcome } from "../../src/services/Nudge.js"
import type { PaneInfo } from "../../src/services/Tmux.js"
import { agentRow, pane } from "../support/unitFixtures.js"

const nudgeLayer = NudgeLive.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(
    RegistryTest.layerTest,
    TmuxTest.layerTest,
    RuntimesLive.layerTest,
    MailboxTest.layerTest,
    BusConfigLive.layer({ busDir: "/nonexistent/helioy-bus" })
  ))
)

const bob = agentRow("proj:bob", { pane_id: "%5", tmux_target: "s:0.1", runtime: "claude" })

/** The panes tmux reports, each showing an idle TUI at its prompt unless `screens` says otherwise. */
const withPanes = (...panes: ReadonlyArray<PaneInfo>) =>
  Effect.flatMap(TmuxTest.TmuxTestControl, (control) =>
    Effect.zipRight(
      Ref.set(control.panes, panes),
      Ref.update(control.screens, (screens) => {
        const next = new Map(screens)
        for (const found of panes) if (!next.has(found.paneId)) next.set(found.paneId, idleTui())
        return next
      })
    ))

/** What the TUI of a pane shows. */
const withScreen = (paneId: string, tui: SimulatedTui) =>
  Effect.flatMap(
    TmuxTest.TmuxTestControl,
    (control) => Ref.update(control.screens, (screens) => new Map(screens).set(paneId, tui))
  )

const confirmed: NudgeOutcome = { nudged: true, method: "nudge", confirmed: true, pending: false }

const skipped = (reason: NonNullable<NudgeOutcome["reason"]>): NudgeOutcome => ({
  nudged: false,
  method: "none",
  confirmed: false,
  pending: false,
  reason
})

const calls = Effect.flatMap(TmuxTest.TmuxTestControl, (control) => Ref.get(control.calls))

const sends = Effect.map(calls, (all) => all.filter((call) => call.op !== "pane" && call.op !== "listPanes"))

/** Wakes a recipient as the bus does, letting the test clock run over the pause before Enter and the pane's watch. */
const wakeThroughPause = (recipient: AgentRow) =>
  Effect.gen(function*() {
    const nudge = yield* Nudge
    const fiber = yield* Effect.fork(nudge.wake(recipient))
    yield* TestClock.adjust("150 millis")
    for (let step = 0; step < 60; step++) {
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") break
      yield* TestClock.adjust("100 millis")
    }
    return yield* Fiber.join(fiber)
  })

describe("NudgeLive", () => {
  it.effect("types the fixed text literally, waits 150 ms, then presses Enter in the pane", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1"))
      const fiber = yield* Effect.fork(nudge.wake(bob))
      yield* TestClock.adjust("149 millis")
      expect(yield* sends).toEqual([{ op: "typeLiteral", target: "%5", text: nudgeText }])
      yield* TestClock.adjust("1 millis")
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(fiber)).toEqual(confirmed)
      expect(yield* sends).toEqual([
        { op: "typeLiteral", target: "%5", text: nudgeText },
        { op: "pressEnter", target: "%5" }
      ])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("leaves copy mode before typing", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1", { inMode: true }))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      expect((yield* sends).map((call) => call.op)).toEqual(["cancelMode", "typeLiteral", "pressEnter"])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("types into the stable pane id of a row addressed only by target", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%7", "s:0.3"))
      const legacy = agentRow("proj:legacy", { pane_id: "", tmux_target: "s:0.3" })
      expect(yield* wakeThroughPause(legacy)).toEqual(confirmed)
      expect((yield* sends).map((call) => call.target)).toEqual(["%7", "%7"])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a second nudge within 30 s is suppressed; one after 30 s goes through", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1"))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      yield* withScreen("%5", idleTui())
      yield* TestClock.adjust("29 seconds")
      expect(yield* nudge.wake(bob)).toEqual(skipped("throttled"))
      expect((yield* sends).filter((call) => call.op === "typeLiteral")).toHaveLength(1)
      yield* TestClock.adjust("850 millis")
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      expect((yield* sends).filter((call) => call.op === "typeLiteral")).toHaveLength(2)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("the throttle is per recipient", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"), pane("%6", "s:0.2"))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      const carol = agentRow("proj:carol", { pane_id: "%6", tmux_target: "s:0.2" })
      expect(yield* wakeThroughPause(carol)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect.each(["unknown", "mystery", ""])(
    "a %j runtime is never nudged and tmux is not touched",
    (runtime) =>
      Effect.gen(function*() {
        const nudge = yield* Nudge
        yield* withPanes(pane("%5", "s:0.1"))
        expect(yield* nudge.wake({ ...bob, runtime })).toEqual(skipped("unsupported_runtime"))
        expect(yield* calls).toEqual([])
      }).pipe(Effect.provide(nudgeLayer))
  )

  it.effect.each(["claude", "claude-opus", "codex", "grok", "grok-fast"])(
    "a %s agent is nudged",
    (runtime) =>
      Effect.gen(function*() {
        yield* withPanes(pane("%5", "s:0.1"))
        expect(yield* wakeThroughPause({ ...bob, runtime })).toEqual(confirmed)
      }).pipe(Effect.provide(nudgeLayer))
  )

  it.effect("a recipient with neither pane nor target is not nudged", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      expect(yield* nudge.wake({ ...bob, pane_id: "", tmux_target: "" })).toEqual(skipped("no_pane"))
      expect(yield* calls).toEqual([])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a dead pane is not alive and its throttle slot is released", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1", { dead: true }))
      expect(yield* nudge.wake(bob)).toEqual(skipped("pane_not_alive"))
      expect(yield* sends).toEqual([])
      yield* withPanes(pane("%5", "s:0.1"))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a missing pane is not alive and its throttle slot is released", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      expect(yield* nudge.wake(bob)).toEqual(skipped("pane_not_alive"))
      yield* withPanes(pane("%5", "s:0.1"))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a pane running a shell is not typed into, and its throttle slot is released", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1", { command: "bash" }))
      expect(yield* nudge.wake(bob)).toEqual(skipped("shell_in_pane"))
      expect(yield* sends).toEqual([])
      yield* withPanes(pane("%5", "s:0.1", { command: "node" }))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a failing tmux send reports tmux_failed and releases the throttle slot", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      const control = yield* TmuxTest.TmuxTestControl
      yield* withPanes(pane("%5", "s:0.1"))
      yield* Ref.set(control.failSends, true)
      expect(yield* nudge.wake(bob)).toEqual(skipped("tmux_failed"))
      yield* Ref.set(control.failSends, false)
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("tmux missing reports pane_not_alive and touches nothing", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      const control = yield* TmuxTest.TmuxTestControl
      yield* Ref.set(control.missing, true)
      expect(yield* nudge.wake(bob)).toEqual(skipped("pane_not_alive"))
      expect(yield* calls).toEqual([])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("only the fixed nudge text is ever typed", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"), pane("%6", "s:0.2"))
      yield* wakeThroughPause(bob)
      yield* wakeThroughPause(agentRow("proj:carol", { pane_id: "%6", runtime: "codex" }))
      const typed = (yield* sends).filter((call) => call.op === "typeLiteral").map((call) => call.text)
      expect(typed).toEqual([nudgeText, nudgeText])
      expect(nudgeText).not.toMatch(/[\n\r]/)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a dialog on screen is never typed into; the slot goes back, so the next send tries again", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen(
        "%5",
        idleTui("❯", { dialog: "  Hooks need review\n› 1. Review hooks\n  2. Trust all and continue" })
      )
      expect(yield* wakeThroughPause(bob)).toEqual(skipped("dialog_open"))
      expect(yield* sends).toEqual([])
      yield* withScreen("%5", idleTui())
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a Codex TUI still starting up is not typed into (it would not submit); the next send tries again", () =>
    Effect.gen(function*() {
      const codexBob = { ...bob, runtime: "codex" }
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen("%5", idleTui("›", { dialog: "  Waiting for startup  · esc cancel" }))
      expect(yield* wakeThroughPause(codexBob)).toEqual(skipped("runtime_starting"))
      expect(yield* sends).toEqual([])
      yield* withScreen("%5", idleTui("›"))
      expect(yield* wakeThroughPause(codexBob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a TUI that has not drawn its prompt yet is not typed into; once it has, the nudge goes through", () =>
    Effect.gen(function*() {
      const control = yield* TmuxTest.TmuxTestControl
      yield* withPanes(pane("%5", "s:0.1"))
      yield* Ref.update(control.screens, (screens) => {
        const next = new Map(screens)
        next.delete("%5")
        return next
      })
      expect(yield* wakeThroughPause(bob)).toEqual(skipped("runtime_starting"))
      expect(yield* sends).toEqual([])
      yield* withScreen("%5", idleTui())
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a session running a turn is not typed into: its Stop hook shows the mail when the turn ends", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen("%5", idleTui("❯", { busy: true }))
      expect(yield* wakeThroughPause(bob)).toEqual({
        nudged: false,
        method: "turn-boundary",
        confirmed: false,
        pending: false,
        reason: "busy"
      })
      expect(yield* sends).toEqual([])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("an Enter that leaves the notice unsubmitted is pressed once more, and the turn start confirms it", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen("%5", idleTui("❯", { ignoredEnters: 1 }))
      expect(yield* wakeThroughPause(bob)).toEqual({ ...confirmed, reason: "second_enter" })
      expect((yield* sends).map((call) => call.op)).toEqual(["typeLiteral", "pressEnter", "pressEnter"])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a notice that two Enters do not submit is reported not_confirmed, and the next send submits it without typing it again", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen("%5", idleTui("❯", { ignoredEnters: 2 }))
      expect(yield* wakeThroughPause(bob)).toEqual({
        nudged: false,
        method: "nudge",
        confirmed: false,
        pending: false,
        reason: "not_confirmed"
      })
      expect((yield* sends).map((call) => call.op)).toEqual(["typeLiteral", "pressEnter", "pressEnter"])
      // The slot stays taken: something sits in the input line.
      expect(yield* nudge.wake(bob)).toEqual(skipped("throttled"))
      yield* TestClock.adjust("30 seconds")
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      expect((yield* sends).map((call) => call.op)).toEqual(["typeLiteral", "pressEnter", "pressEnter", "pressEnter"])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a turn that ends before the pane is looked at is confirmed by the notice moving into the transcript", () =>
    Effect.gen(function*() {
      yield* withPanes(pane("%5", "s:0.1"))
      yield* withScreen("%5", idleTui("❯", { quickTurns: true, transcript: [nudgeText] }))
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      expect((yield* sends).map((call) => call.op)).toEqual(["typeLiteral", "pressEnter"])
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("an urgent message wakes inside the normal throttle, but never twice within 5 s", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1"))
      const urgently = (recipient: AgentRow) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.fork(nudge.wake(recipient, false, "urgent"))
          yield* TestClock.adjust("150 millis")
          for (let step = 0; step < 60 && (yield* Fiber.poll(fiber))._tag === "None"; step++) {
            yield* TestClock.adjust("100 millis")
          }
          return yield* Fiber.join(fiber)
        })
      expect(yield* wakeThroughPause(bob)).toEqual(confirmed)
      yield* withScreen("%5", idleTui())
      yield* TestClock.adjust("2 seconds")
      expect(yield* nudge.wake(bob)).toEqual(skipped("throttled"))
      expect(yield* urgently(bob)).toEqual(skipped("throttled"))
      yield* TestClock.adjust("3 seconds")
      expect(yield* urgently(bob)).toEqual(confirmed)
      yield* withScreen("%5", idleTui())
      yield* TestClock.adjust("1 second")
      expect(yield* urgently(bob)).toEqual(skipped("throttled"))
      expect(yield* nudge.wake(bob)).toEqual(skipped("throttled"))
      expect((yield* sends).filter((call) => call.op === "typeLiteral")).toHaveLength(2)
    }).pipe(Effect.provide(nudgeLayer)))

  it.effect("a recipient whose waiter holds its inbox is left to it: nothing is typed, the wake is pending", () =>
    Effect.gen(function*() {
      const nudge = yield* Nudge
      yield* withPanes(pane("%5", "s:0.1"))
      expect(yield* nudge.wake(bob, true)).toEqual({ nudged: true, method: "rewake", confirmed: false, pending: true })
      expect(yield* nudge.wake({ ...bob, runtime: "codex" }, true)).toEqual({
        nudged: true,
        method: "daemon",
        confirmed: false,
        pending: true
      })
      expect(yield* calls).toEqual([])
    }).pipe(Effect.provide(nudgeLayer)))
})
