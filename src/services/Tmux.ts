import { Context, Data, type Effect } from "effect"

/** One tmux pane as listed. */
export interface PaneInfo {
  /** Stable pane id, `%N`. */
  readonly paneId: string
  /** Address `session:window.pane`; changes when panes move. */
  readonly target: string
  readonly title: string
  /** Whether the pane is in copy or another mode. */
  readonly inMode: boolean
  /** Whether the pane's process has exited (remain-on-exit). */
  readonly dead: boolean
  /** The pane's foreground command. */
  readonly command: string
}

/** tmux is not installed or cannot be run. */
export class TmuxUnavailable extends Data.TaggedError("TmuxUnavailable")<{ readonly reason: string }> {}

/** A tmux command exited non-zero. */
export class TmuxCommandFailed extends Data.TaggedError("TmuxCommandFailed")<{
  readonly args: ReadonlyArray<string>
  readonly exitCode: number
  readonly stderr: string
}> {}

/** Any tmux failure. */
export type TmuxError = TmuxUnavailable | TmuxCommandFailed

/** Intent-level tmux calls. */
export interface TmuxShape {
  /** Every pane of the server in one call; empty when no server runs; fails when tmux cannot be run. */
  readonly listPanes: Effect.Effect<ReadonlyArray<PaneInfo>, TmuxUnavailable>
  /** One pane by id or target; fails with TmuxCommandFailed when it does not exist. */
  readonly pane: (target: string) => Effect.Effect<PaneInfo, TmuxError>
  /** Leaves copy mode in a pane. */
  readonly cancelMode: (paneId: string) => Effect.Effect<void, TmuxError>
  /** Types text literally into a pane (no key names interpreted). */
  readonly typeLiteral: (paneId: string, text: string) => Effect.Effect<void, TmuxError>
  /** Presses Enter in a pane. */
  readonly pressEnter: (paneId: string) => Effect.Effect<void, TmuxError>
  /** Adds a global tmux hook (e.g. `after-kill-pane`) running `command` at a free index, unless one already runs it; the user's hooks are never replaced. */
  readonly ensureGlobalHook: (hook: string, command: string) => Effect.Effect<void, TmuxError>
  /** The visible text of a pane. */
  readonly capture: (paneId: string) => Effect.Effect<string, TmuxError>
}

/** tmux. */
export class Tmux extends Context.Tag("helioy/Tmux")<Tmux, TmuxShape>() {}
