import { Duration, Effect, Option } from "effect"
import type { AgentRow } from "../domain/AgentRecord.js"
import { Mailbox } from "../services/Mailbox.js"
import { Nudge, type WakeSkipReason } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"
import { awaitMailToWake, recordWake, unreadFiles } from "./waitMail.js"

/** Outcomes that say the TUI could not take a notice yet (still starting, a dialog open): tried again soon. */
const notYet: ReadonlySet<WakeSkipReason | undefined> = new Set(["runtime_starting", "dialog_open"])

/** How long the waker waits before it tries again a pane that could not take a notice yet. */
const notYetRetry = Duration.seconds(2)

/**
 * The launch wrapper's waker of its own pane, for the runtime's life: holds the agent's mail waiter, so that no
 * sender (of this host or another, on either bus) types into the pane, and for each batch of new mail, once per
 * throttle window, types the fixed notice into the pane and confirms that a turn started; records each wake. Mail
 * still unread after a wake that did not take is woken for again: in 2 s when the TUI was starting or showed a
 * dialog, in the next throttle window when the notice was not confirmed. Succeeds with false at once when another
 * waiter holds the agent; never fails.
 */
export const wakeOwnPane = (agent: AgentRow, runtimePid: number) =>
  Effect.scoped(Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const nudge = yield* Nudge
    const registry = yield* Registry
    const agentId = agent.agent_id
    const known = new Set(yield* unreadFiles(agentId))
    if (!(yield* mailbox.holdWaiter(agentId))) return false
    for (;;) {
      const arrived = yield* awaitMailToWake(agentId, runtimePid, known)
      if (Option.isNone(arrived)) return true
      const outcome = yield* nudge.typeNotice(agent)
      yield* recordWake(agentId, arrived.value, outcome.method, outcome.confirmed, outcome.reason ?? "")
      // A running turn ends in the runtime's Stop hook, which shows the mail: that counts as taken.
      if (outcome.confirmed || outcome.method === "turn-boundary") {
        for (const message of arrived.value) known.add(message.file)
      } else if (notYet.has(outcome.reason)) {
        // Nothing was typed: the slot this wake took goes back (the waiter is the only one who takes it).
        const taken = yield* Effect.orElseSucceed(registry.lastNudge(agentId), () => Option.none<string>())
        if (Option.isSome(taken)) yield* Effect.ignore(registry.releaseNudge(agentId, taken.value))
        yield* Effect.sleep(notYetRetry)
      }
    }
  })).pipe(Effect.catchAll(() => Effect.succeed(false)))
