import type { MemberPermissions } from "./Permissions.js"

/** A command line to start a runtime: the executable, its arguments, and variables to set. */
export interface LaunchSpec {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  /**
   * The runtime's own program (`claude`, `codex`; the wrapped one when `command` is the launch wrapper), "" for none.
   */
  readonly program: string
}

/** What to launch: a bare runtime, or one playing a specialist agent type, with its permissions. */
export interface LaunchOptions {
  readonly agentType?: string | undefined
  readonly instructionsFile?: string | undefined
  /** Default: the runtime's own. */
  readonly permissions?: MemberPermissions | undefined
}

/**
 * How a runtime's terminal UI looks, so that a typed nudge can be checked on screen: where its input line is, what
 * shows that a turn is running, and what shows that a dialog or menu has the keyboard (never typed into).
 */
export interface ScreenModel {
  /** The glyph that starts the input line (the last line starting with it is the input). */
  readonly prompt: string
  /** Any of these on screen: a turn is running. */
  readonly busy: ReadonlyArray<RegExp>
  /** Any of these on screen: a dialog or a menu waits for the user. */
  readonly dialog: ReadonlyArray<RegExp>
  /** Any of these on screen: the TUI is still starting up, and would not submit what is typed. */
  readonly starting: ReadonlyArray<RegExp>
  /** All of these on screen: the TUI has started and waits at its prompt (none: cannot be told). */
  readonly ready: ReadonlyArray<RegExp>
  /**
   * The header above what the TUI queued to submit once its running turn ends (Gemini CLI: `Queued (press ↑ to
   * edit):`), when it queues input; a notice shown under it was taken.
   */
  readonly queued?: RegExp
}

/** How an agent runtime is started, identified, woken and registered. */
export interface RuntimeAdapter {
  /** The runtime id recorded in the registry (`claude`, `codex`, ...). */
  readonly id: string
  /** The variables that may carry the runtime's own pid to its hooks, first match wins. */
  readonly pidEnvs: ReadonlyArray<string>
  /** How it joins the bus: its own hooks, the `helioy-bus run` wrapper, or by calling register_agent itself. */
  readonly registration: "hook" | "wrapper" | "manual"
  /**
   * Whether the environment of its hooks and MCP servers belongs to the session (`session`: one process tree per
   * session), or may belong to another session (`shared`: Codex runs every session's hooks and servers in one daemon
   * that has the environment of whichever session started it), in which case identity comes from the event only.
   */
  readonly hookEnvironment: "session" | "shared"
  /**
   * How an idle session can be woken: typing into its pane, an async rewake hook, and what its launch wrapper
   * (`helioy-bus run`) does as its mail waiter: start a turn through the Codex daemon, type into its own pane, or
   * nothing (the runtime has a waiter of its own, or cannot be woken).
   */
  readonly wake: {
    readonly tmuxNudge: boolean
    readonly rewakeHook: boolean
    readonly wrapper: "daemon" | "pane" | "none"
  }
  /** Whether its hooks see unread mail at the end of a turn (a running turn then needs no nudge). */
  readonly stopHook: boolean
  /** Its terminal UI, for typed nudges. */
  readonly screen: ScreenModel
  /** Text appended to every message for it (Codex asks its human before acting on mail unless told it may). */
  readonly messageSuffix: string
  /** The command line that starts it. */
  readonly launch: (options: LaunchOptions) => LaunchSpec
  /** Where its launchable agent types live, for a home and a project directory. */
  readonly agentTypeDirs: (home: string, projectDir: string) => ReadonlyArray<string>
}
