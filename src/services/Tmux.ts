import { Context, type Effect, type Option } from "effect"
import type { PaneProgram } from "../domain/PaneProgram.js"
import type { TmuxError, TmuxUnavailable } from "../errors/tmux.js"

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

/** A pane just created by `newWindow` or `splitWindow`, with the id of its window. */
export interface SpawnedPane extends PaneInfo {
  /** Stable window id, `@N`. */
  readonly windowId: string
}

/** What a new pane runs, where, and with which extra environment. */
export interface PaneLaunch {
  /** The pane's working directory (absolute). */
  readonly cwd: string
  /** Variables set in the pane's environment on top of the tmux server's. */
  readonly env: Readonly<Record<string, string>>
  /** The program and its arguments, exec'd directly by tmux: never parsed by a shell, never typed into the pane. */
  readonly command: ReadonlyArray<string>
}

/**
 * Intent-level tmux calls; every pane, window and session argument is checked before tmux sees it (`%N`, `@N`, `$N`,
 * `session:window.pane`).
 */
export interface TmuxShape {
  /**
   * The version tmux reports (`tmux -V`, e.g. `tmux 3.4`); fails with TmuxUnavailable when tmux cannot be run,
   * TmuxCommandFailed when it exits non-zero.
   */
  readonly version: Effect.Effect<string, TmuxError>
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
  /**
   * Adds a global tmux hook (e.g. `after-kill-pane`) running `command` at a free index, unless one already runs it; the
   * user's hooks are never replaced.
   */
  readonly ensureGlobalHook: (hook: string, command: string) => Effect.Effect<void, TmuxError>
  /** The visible text of a pane, with up to `history` lines of its scrollback before it (default none). */
  readonly capture: (paneId: string, history?: number) => Effect.Effect<string, TmuxError>
  /** Opens a detached window `name` in `session` (exact session name, or id `$N`) whose only pane runs `command`. */
  readonly newWindow: (
    options: PaneLaunch & { readonly session: string; readonly name: string }
  ) => Effect.Effect<SpawnedPane, TmuxError>
  /**
   * Splits `target` (a pane `%N`: the new pane goes right after it; or a window `@N`: after its active pane) without
   * focusing the new pane.
   */
  readonly splitWindow: (options: PaneLaunch & { readonly target: string }) => Effect.Effect<SpawnedPane, TmuxError>
  /** Wakes whatever waits on a tmux channel (`wait-for -S`): a pane started by `afterSignal` runs its command then. */
  readonly signal: (channel: string) => Effect.Effect<void, TmuxError>
  /** Arranges the panes of a window (`@N`) in a tmux layout (`tiled`, `main-vertical`, ...). */
  readonly selectLayout: (window: string, layout: string) => Effect.Effect<void, TmuxError>
  /** Sets a pane's title, taken literally (no `#{}` formats expanded). */
  readonly setPaneTitle: (paneId: string, title: string) => Effect.Effect<void, TmuxError>
  /** Sets a window option (`allow-rename`, `remain-on-exit`, ...) on one window. */
  readonly setWindowOption: (window: string, option: string, value: string) => Effect.Effect<void, TmuxError>
  /** Kills one pane; fails with TmuxCommandFailed when it does not exist. */
  readonly killPane: (paneId: string) => Effect.Effect<void, TmuxError>
  /**
   * Kills a window (`@N`, or `session:=name` for an exact name) and its panes; fails with TmuxCommandFailed when it
   * does not exist.
   */
  readonly killWindow: (window: string) => Effect.Effect<void, TmuxError>
  /** The id `@N` of the window holding a pane; fails with TmuxCommandFailed when the pane does not exist. */
  readonly windowOf: (paneId: string) => Effect.Effect<string, TmuxError>
  /** The name of the session holding a pane; fails with TmuxCommandFailed when the pane does not exist. */
  readonly sessionOfPane: (paneId: string) => Effect.Effect<string, TmuxError>
  /**
   * Whether a pane's program has exited (the pane kept by `remain-on-exit`): none while it runs, else its exit status,
   * or null while tmux has not collected it yet; fails with TmuxCommandFailed when the pane is gone.
   */
  readonly exitStatusOf: (paneId: string) => Effect.Effect<Option.Option<number | null>, TmuxError>
  /**
   * A variable of the server's global environment (what new panes get), none when unset; fails when tmux cannot be run.
   */
  readonly globalEnvironment: (name: string) => Effect.Effect<Option.Option<string>, TmuxError>
  /** The ids `@N` of the windows of a session (name or `$N`) named exactly `name`; empty when there are none. */
  readonly windowsNamed: (session: string, name: string) => Effect.Effect<ReadonlyArray<string>, TmuxError>
  /**
   * The program in the foreground of a pane (`%N` or a target), found among `#{pane_pid}` and its descendants, and
   * whether it is a shell (per `/etc/shells`) or a multiplexer client; fails when the pane or its foreground is not
   * found.
   */
  readonly foreground: (paneId: string) => Effect.Effect<PaneProgram, TmuxError>
}

/** tmux. */
export class Tmux extends Context.Tag("helioy/Tmux")<Tmux, TmuxShape>() {}
