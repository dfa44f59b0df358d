import { Context, type Effect } from "effect"
import type { AgentRow } from "../domain/AgentRecord.js"
import type { Priority } from "../domain/Message.js"
import type { WakeMethod } from "../domain/Wake.js"

/** Why a wake was not done, or not seen to take effect. */
export type WakeSkipReason =
  | "unsupported_runtime"
  | "no_pane"
  | "throttled"
  | "pane_not_alive"
  | "shell_in_pane"
  | "tmux_failed"
  | "dialog_open"
  | "runtime_starting"
  | "busy"
  | "not_confirmed"
  /** The recipient runs on another host: its own side (hook, launch wrapper) wakes it, this host's tmux cannot. */
  | "other_host"
  /** Not a failure: the nudge was confirmed, but only after a second Enter. */
  | "second_enter"

/** What the sender did to wake one recipient. */
export interface NudgeOutcome {
  /** Whether the recipient is being woken: typed and confirmed, or handed to its own waiter. */
  readonly nudged: boolean
  /** How. */
  readonly method: WakeMethod
  /** Whether a turn was seen to start (typed nudges only; a waiter records its own wake when it fires). */
  readonly confirmed: boolean
  /** The recipient's own waiter (rewake hook, launch wrapper) wakes it: the outcome is recorded when it fires. */
  readonly pending: boolean
  /** Why it was not done or not confirmed. */
  readonly reason?: WakeSkipReason
}

/**
 * Wakes idle recipients: leaves them to their own waiter when one is armed, else types a fixed notice into their pane
 * and checks that a turn started.
 */
export interface NudgeShape {
  /**
   * Wakes a recipient; never fails. A recipient whose mail waiter held its inbox before the message was delivered
   * (`waiterAtDelivery`; looked up now when not given) is left to that waiter. Otherwise, if its runtime takes nudges,
   * its pane is alive, shows no dialog, has started up and runs no turn, and it was not woken within the throttle: the
   * fixed notice is
   * typed, then Enter, and the pane is watched until the notice left the input line and a turn started (Enter is
   * pressed once more when it did not). For an `urgent` message the throttle is at most 5 s.
   */
  readonly wake: (recipient: AgentRow, waiterAtDelivery?: boolean, priority?: Priority) => Effect.Effect<NudgeOutcome>
  /**
   * Types the fixed notice into the recipient's own pane and confirms that a turn started, with the same pane checks
   * as `wake` but no waiter, host or throttle check: for the recipient's launch wrapper, which is its waiter and holds
   * its wake slot. Never fails; what was not done is the outcome's reason.
   */
  readonly typeNotice: (recipient: AgentRow) => Effect.Effect<NudgeOutcome>
}

/** The nudger. */
export class Nudge extends Context.Tag("helioy/Nudge")<Nudge, NudgeShape>() {}
