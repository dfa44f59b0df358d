import { Clock, Duration, Effect, Either, Layer, Option } from "effect"
import { nudgeText } from "../domain/NudgeText.js"
import { formatMillis } from "../domain/Timestamp.js"
import type { AgentId } from "../domain/AgentId.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox } from "../services/Mailbox.js"
import { Nudge, type NudgeOutcome, type NudgeShape } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"
import { Runtimes } from "../services/Runtimes.js"
import { Tmux } from "../services/Tmux.js"

const notNudged = (reason: Extract<NudgeOutcome, { nudged: false }>["reason"]): NudgeOutcome => ({ nudged: false, reason })

/**
 * Builds the nudger: a recipient whose mail waiter (an async rewake hook) is alive is left to it; otherwise its
 * runtime's adapter must take tmux nudges, a strict per-recipient throttle claimed atomically in the registry, a live
 * pane whose foreground program is no shell or multiplexer, then copy-mode exit, the fixed text typed literally, a pause, and a separate Enter.
 */
export const make = Effect.gen(function*() {
  const registry = yield* Registry
  const tmux = yield* Tmux
  const runtimes = yield* Runtimes
  const mailbox = yield* Mailbox
  const config = yield* BusConfig
  const throttleMillis = Duration.toMillis(config.nudgeThrottle)

  const wake: NudgeShape["wake"] = Effect.fn("Nudge.wake")(function*(recipient, waiterAtDelivery) {
    const adapter = runtimes.get(recipient.runtime)
    if (Option.isNone(adapter)) return notNudged("unsupported_runtime")
    if (adapter.value.wake.rewakeHook && (waiterAtDelivery ?? (yield* mailbox.hasWaiter(recipient.agent_id as AgentId)))) {
      return { nudged: true } as const
    }
    if (!adapter.value.wake.tmuxNudge) return notNudged("unsupported_runtime")
    const address = recipient.pane_id !== "" ? recipient.pane_id : recipient.tmux_target
    if (address === "") return notNudged("no_pane")
    const now = yield* Clock.currentTimeMillis
    const slot = {
      now: formatMillis(now),
      since: formatMillis(now - throttleMillis),
      forgetBefore: formatMillis(now - 86_400_000)
    }
    const claimed = yield* Effect.orElseSucceed(registry.claimNudge(recipient.agent_id, slot), () => false)
    if (!claimed) return notNudged("throttled")
    const release = Effect.ignore(registry.releaseNudge(recipient.agent_id, slot.now))

    const pane = yield* Effect.either(tmux.pane(address))
    if (Either.isLeft(pane) || pane.right.dead) {
      yield* release
      return notNudged("pane_not_alive")
    }
    // A shell (per /etc/shells), a nested tmux client, or a foreground that cannot be told: typing could run the text.
    const program = yield* Effect.either(tmux.foreground(pane.right.paneId))
    if (Either.isLeft(program) || program.right.kind !== "program") {
      yield* release
      return notNudged("shell_in_pane")
    }
    const paneId = pane.right.paneId
    const typed = yield* Effect.either(Effect.gen(function*() {
      if (pane.right.inMode) yield* tmux.cancelMode(paneId)
      yield* tmux.typeLiteral(paneId, nudgeText)
      yield* Effect.sleep(config.nudgeEnterDelay)
      yield* tmux.pressEnter(paneId)
    }))
    if (Either.isLeft(typed)) {
      yield* release
      return notNudged("tmux_failed")
    }
    return { nudged: true } as const
  })

  return { wake } satisfies NudgeShape
})

/** The nudger over tmux and the registry's nudge log. */
export const layer = Layer.effect(Nudge, make)
