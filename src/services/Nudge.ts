import { Context, type Effect } from "effect"
import type { AgentRow } from "../domain/AgentRecord.js"

/** Why a recipient was or was not nudged. */
export type NudgeOutcome =
  | { readonly nudged: true }
  | {
    readonly nudged: false
    readonly reason: "unsupported_runtime" | "no_pane" | "throttled" | "pane_not_alive" | "shell_in_pane" | "tmux_failed"
  }

/** Wakes idle recipients by typing a fixed notice into their pane. */
export interface NudgeShape {
  /**
   * Nudges a recipient if its runtime takes nudges, its pane is alive and it was not nudged within the throttle; never
   * fails. A recipient whose mail waiter held its inbox before the message was delivered (`waiterAtDelivery`; looked
   * up now when not given) is left to that waiter, which wakes for the message and may already have exited.
   */
  readonly wake: (recipient: AgentRow, waiterAtDelivery?: boolean) => Effect.Effect<NudgeOutcome>
}

/** The nudger. */
export class Nudge extends Context.Tag("helioy/Nudge")<Nudge, NudgeShape>() {}
