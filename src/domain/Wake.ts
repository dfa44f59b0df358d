import type { AgentId } from "./AgentId.js"

/** How a recipient was (or was to be) woken for a message. */
export type WakeMethod =
  /** Claude Code's asyncRewake hook (`hook wait-mail`) exited 2: the session starts a turn by itself. */
  | "rewake"
  /** The Codex launch wrapper started a turn in the session's thread through the Codex daemon. */
  | "daemon"
  /** A fixed notice typed into the recipient's tmux pane, then Enter. */
  | "nudge"
  /** Nothing was done now: the recipient's hooks show the mail at the end of its running turn. */
  | "turn-boundary"
  /** A hook of the recipient's session (SessionStart, Stop) put the mail notice into its context and kept it working. */
  | "hook-context"
  /** No wake: the runtime cannot be woken, or the wake failed (see the reason). */
  | "none"

/** One wake of one recipient, as the registry records it. */
export interface WakeRecord {
  readonly agentId: AgentId
  /** The message that caused the wake ("" when not tied to one message). */
  readonly messageId: string
  readonly method: WakeMethod
  /** When it happened (reference timestamp). */
  readonly at: string
  /** Whether the wake was seen to take effect (a turn started). */
  readonly confirmed: boolean
  /** Why it was not done or not confirmed; "" when it was. */
  readonly reason: string
}
