/** The fields of a runtime's hook event the bus reads; anything missing is empty. */
export interface HookEvent {
  readonly session_id: string
  /** The event as the runtime names it (`SessionStart`, `BeforeAgent`, ...). */
  readonly hook_event_name: string
  readonly cwd: string
  readonly source: string
  readonly reason: string
  readonly stop_hook_active: boolean
}

/** What a hook handler knows besides its event. */
export interface HookContext {
  readonly event: HookEvent
  readonly runtime: string
  /**
   * Whether the hook's environment belongs to its session (`session`) or may be another session's (`shared`: a
   * Codex daemon); with `shared`, `agentId` and `paneId` are empty and `runtimePid` is the hook's parent.
   */
  readonly environment: "session" | "shared"
  /** The runtime process the hook belongs to. */
  readonly runtimePid: number
  /** HELIOY_AGENT_ID, TMUX_PANE and HELIOY_BUS_AGENT_TYPE ("" when unset or not trusted). */
  readonly agentId: string
  readonly paneId: string
  readonly agentType: string
  /** The shell command the tmux cleanup hooks run (`helioy-bus hook prune`). */
  readonly pruneCommand: string
}

/** What a hook prints and how it exits. */
export interface HookOutput {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

/** Nothing to say. */
export const quiet: HookOutput = { stdout: "", stderr: "", exitCode: 0 }

/** A hook's answer that adds `additionalContext` for the model at `hookEventName`. */
export const context = (hookEventName: string, additionalContext: string): HookOutput => ({
  stdout: JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext } }),
  stderr: "",
  exitCode: 0
})
