import { Clock, Effect, Fiber, Option, Ref, TestClock } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import type { AgentRegistration } from "../../src/domain/AgentRecord.js"
import { formatMillis } from "../../src/domain/Timestamp.js"
import { TmuxTestControl } from "../../src/layers/TmuxTest.js"
import { idleTui } from "../../src/layers/TmuxTestScreen.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { Registry } from "../../src/services/Registry.js"
import type { PaneInfo } from "../../src/services/Tmux.js"
import { explicitRegistration } from "./unitFixtures.js"

/** Puts an agent straight into the registry (no identity is remembered, unlike registerAgent); returns its row. */
export const seedAgent = (agentId: string, overrides: Partial<AgentRegistration> = {}) =>
  Effect.gen(function*() {
    const registry = yield* Registry
    const now = formatMillis(yield* Clock.currentTimeMillis)
    // Distinct registration times keep list order deterministic.
    yield* TestClock.adjust("1 millis")
    return yield* registry.register(explicitRegistration(agentId, overrides), Option.none(), now)
  })

/** Sets the panes the recording tmux reports, each showing an idle TUI at its prompt. */
export const setPanes = (...panes: ReadonlyArray<PaneInfo>) =>
  Effect.flatMap(TmuxTestControl, (control) =>
    Effect.zipRight(
      Ref.set(control.panes, panes),
      Ref.set(control.screens, new Map(panes.map((found) => [found.paneId, idleTui()])))
    ))

/** The tmux calls recorded so far. */
export const tmuxCalls = Effect.flatMap(TmuxTestControl, (control) => Ref.get(control.calls))

/** The unread messages of an agent, without claiming them. */
export const unread = (agentId: string) => Effect.flatMap(Mailbox, (mailbox) => mailbox.pending(agentId as AgentId))

/** Claims every unread message of an agent. */
export const claimAll = (agentId: string) =>
  Effect.map(
    Effect.flatMap(Mailbox, (mailbox) => mailbox.claim(agentId as AgentId, Option.none())),
    (claimed) => claimed.messages
  )

/**
 * Runs an effect that may pause before a nudge's Enter and watch the pane after it, moving the test clock on until it
 * ends.
 */
export const overNudgePause = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("150 millis")
    for (let step = 0; step < 100 && Option.isNone(yield* Fiber.poll(fiber)); step++) {
      yield* TestClock.adjust("100 millis")
    }
    return yield* Fiber.join(fiber)
  })

/** Lets forked fibers run (and the test clock move 50 ms a step) until `done` holds; dies after 400 steps. */
export const untilHolds = <E, R>(done: Effect.Effect<boolean, E, R>) =>
  Effect.gen(function*() {
    for (let step = 0; step < 400; step++) {
      if (yield* done) return
      yield* TestClock.adjust("50 millis")
    }
    return yield* Effect.dieMessage("the fibers did not get there")
  })
