import { Context, type Effect } from "effect"
import type { CodexUnavailable } from "../errors/codex.js"

/** What a Codex thread is doing. */
export type ThreadState =
  /** Loaded, no turn running: a turn may start. */
  | "idle"
  /** A turn runs. */
  | "active"
  /** A turn waits for the user (an approval, a question). */
  | "waiting"
  /** The daemon does not hold the thread (its TUI is gone). */
  | "notLoaded"
  | "error"

/** The threads of Codex's shared app server (the daemon), as the launch wrapper needs them to wake its session. */
export interface CodexThreadsShape {
  /** The state of a thread now; fails with CodexUnavailable when the daemon cannot be reached. */
  readonly state: (threadId: string) => Effect.Effect<ThreadState, CodexUnavailable>
  /**
   * Waits until a thread is neither active nor waiting, and succeeds with its state; fails with CodexUnavailable when
   * the daemon goes away.
   */
  readonly awaitSettled: (threadId: string) => Effect.Effect<ThreadState, CodexUnavailable>
  /**
   * Starts a turn with `text` as the user's input in an idle thread; succeeds with the turn id; fails with
   * CodexUnavailable when refused.
   */
  readonly startTurn: (threadId: string, text: string) => Effect.Effect<string, CodexUnavailable>
}

/** The Codex daemon's threads. */
export class CodexThreads extends Context.Tag("helioy/CodexThreads")<CodexThreads, CodexThreadsShape>() {}
