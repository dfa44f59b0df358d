import { Clock, Duration, Effect, Either, Layer, Option } from "effect"
import { nudgeText } from "../domain/NudgeText.js"
import { inputLine, noticeSubmitted, showsBusy, showsDialog, showsReady, showsStarting } from "../domain/PaneScreen.js"
import type { RuntimeAdapter } from "../domain/RuntimeAdapter.js"
import { throttleFor, wakeSlot } from "../domain/WakeThrottle.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox } from "../services/Mailbox.js"
import { Nudge, type NudgeOutcome, type NudgeShape, type WakeSkipReason } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"
import { Runtimes } from "../services/Runtimes.js"
import { Tmux } from "../services/Tmux.js"

const skipped = (reason: WakeSkipReason): NudgeOutcome => ({
  nudged: false,
  method: "none",
  confirmed: false,
  pending: false,
  reason
})

/** How a recipient's own waiter wakes it: its rewake hook, or what its launch wrapper does. */
const waiterMethod = (adapter: RuntimeAdapter) =>
  adapter.wake.rewakeHook ? "rewake" : adapter.wake.wrapper === "daemon" ? "daemon" : "nudge"

/** How often a typed nudge looks at the pane while it waits for the turn to start. */
const watchStep = Duration.millis(100)

/** How many looks a TUI still starting up gets to submit a notice it took (15 s). */
const startupSteps = 150

/**
 * Builds the nudger: a recipient whose mail waiter (its rewake hook, its launch wrapper) is alive is left to it, as
 * is one on another host (this host's tmux cannot reach it); otherwise its runtime's adapter must take tmux nudges, a strict per-recipient throttle claimed atomically in the
 * registry, a live pane whose foreground program is no shell or multiplexer, that shows no dialog, has started up and
 * runs no turn, then copy-mode exit, the fixed text typed literally, a pause, a separate Enter, and the pane watched
 * until the turn started (one more Enter when it did not).
 */
export const make = Effect.gen(function*() {
  const registry = yield* Registry
  const tmux = yield* Tmux
  const runtimes = yield* Runtimes
  const mailbox = yield* Mailbox
  const config = yield* BusConfig
  const throttleMillis = Duration.toMillis(config.nudgeThrottle)
  const watchSteps = Math.max(
    1,
    Math.ceil(Duration.toMillis(config.nudgeConfirmTimeout) / Duration.toMillis(watchStep))
  )

  /**
   * Presses Enter, then watches the pane until the notice was submitted and a turn ran (compared with the screen
   * `before` the nudge); succeeds with whether it was. A TUI that took the input but is still starting up (it submits once started) is watched for longer.
   */
  const enterAndWatch = (paneId: string, adapter: RuntimeAdapter, before: string) =>
    Effect.gen(function*() {
      yield* tmux.pressEnter(paneId)
      let limit = watchSteps
      for (let step = 0; step < limit; step++) {
        yield* Effect.sleep(watchStep)
        const after = yield* tmux.capture(paneId)
        if (noticeSubmitted(adapter.screen, nudgeText, before, after)) return true
        if (showsStarting(adapter.screen, after)) limit = Math.max(limit, startupSteps)
      }
      return false
    })

  const typeNudge = (paneId: string, inMode: boolean, adapter: RuntimeAdapter) =>
    Effect.gen(function*() {
      const before = yield* tmux.capture(paneId)
      if (showsDialog(adapter.screen, before)) return skipped("dialog_open")
      // Typed before the TUI draws its prompt, the notice may be lost or sit unsubmitted: the next send tries again.
      if (showsStarting(adapter.screen, before) || !showsReady(adapter.screen, before)) {
        return skipped("runtime_starting")
      }
      if (adapter.stopHook && showsBusy(adapter.screen, before)) {
        // A running turn ends in the Stop hook, which shows the mail: nothing to type.
        return {
          nudged: false,
          method: "turn-boundary",
          confirmed: false,
          pending: false,
          reason: "busy"
        } satisfies NudgeOutcome
      }
      if (inMode) yield* tmux.cancelMode(paneId)
      // A notice left unsubmitted by an earlier nudge is submitted, not typed a second time.
      if (!inputLine(adapter.screen, before).includes(nudgeText)) {
        yield* tmux.typeLiteral(paneId, nudgeText)
        yield* Effect.sleep(config.nudgeEnterDelay)
      }
      if (yield* enterAndWatch(paneId, adapter, before)) {
        return { nudged: true, method: "nudge", confirmed: true, pending: false } satisfies NudgeOutcome
      }
      return (yield* enterAndWatch(paneId, adapter, before))
        ? {
          nudged: true,
          method: "nudge",
          confirmed: true,
          pending: false,
          reason: "second_enter"
        } satisfies NudgeOutcome
        : {
          nudged: false,
          method: "nudge",
          confirmed: false,
          pending: false,
          reason: "not_confirmed"
        } satisfies NudgeOutcome
    })

  /** The pane checks and the typed, confirmed notice; the caller holds the recipient's wake slot. */
  const typeNotice: NudgeShape["typeNotice"] = Effect.fn("Nudge.typeNotice")(function*(recipient) {
    const found = runtimes.get(recipient.runtime)
    if (Option.isNone(found) || !found.value.wake.tmuxNudge) return skipped("unsupported_runtime")
    const address = recipient.pane_id !== "" ? recipient.pane_id : recipient.tmux_target
    if (address === "") return skipped("no_pane")
    const pane = yield* Effect.either(tmux.pane(address))
    if (Either.isLeft(pane) || pane.right.dead) return skipped("pane_not_alive")
    // A shell (per /etc/shells), a nested tmux client, or a foreground that cannot be told: typing could run the text.
    const program = yield* Effect.either(tmux.foreground(pane.right.paneId))
    if (Either.isLeft(program) || program.right.kind !== "program") return skipped("shell_in_pane")
    return yield* Effect.orElseSucceed(
      typeNudge(pane.right.paneId, pane.right.inMode, found.value),
      () => skipped("tmux_failed")
    )
  })

  const wake: NudgeShape["wake"] = Effect.fn("Nudge.wake")(function*(recipient, waiterAtDelivery, priority) {
    const found = runtimes.get(recipient.runtime)
    if (Option.isNone(found)) return skipped("unsupported_runtime")
    const adapter = found.value
    if (waiterAtDelivery ?? (yield* mailbox.hasWaiter(recipient.agent_id))) {
      return {
        nudged: true,
        method: waiterMethod(adapter),
        confirmed: false,
        pending: true
      } satisfies NudgeOutcome
    }
    if (recipient.host !== "" && recipient.host !== config.host) return skipped("other_host")
    if (!adapter.wake.tmuxNudge) return skipped("unsupported_runtime")
    if (recipient.pane_id === "" && recipient.tmux_target === "") return skipped("no_pane")
    const slot = wakeSlot(yield* Clock.currentTimeMillis, throttleFor(priority ?? "normal", throttleMillis))
    const claimed = yield* Effect.orElseSucceed(registry.claimNudge(recipient.agent_id, slot), () => false)
    if (!claimed) return skipped("throttled")
    const outcome = yield* typeNotice(recipient)
    // Nothing typed (or nothing that stays in the pane): the slot goes back, so the next send may try again.
    if (outcome.method !== "nudge") yield* Effect.ignore(registry.releaseNudge(recipient.agent_id, slot.now))
    return outcome
  })

  return { wake, typeNotice } satisfies NudgeShape
})

/** The nudger over tmux and the registry's nudge log. */
export const layer = Layer.effect(Nudge, make)
