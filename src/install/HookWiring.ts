/** One `helioy-bus hook <name>` call a runtime makes at one of its hook events. */
export interface HookSpec {
  /** The runtime's event name (`SessionStart`, `Stop`, ...). */
  readonly event: string
  /** The argument of `helioy-bus hook` (`session-start`, `wait-mail`, ...). */
  readonly hook: string
  /** Seconds the runtime lets the hook run. */
  readonly timeout: number
  /** The tool matcher (PreToolUse only). */
  readonly matcher?: string
  /** Run in the background and wake an idle session when the hook exits 2 (Claude Code's `asyncRewake`). */
  readonly rewake?: boolean
}

/** One command handler as Claude Code and Codex write it in their hook settings. */
export interface HookHandler {
  readonly type: "command"
  readonly command: string
  readonly timeout: number
  readonly async?: boolean
  readonly asyncRewake?: boolean
}

/** A matcher group: the handlers one event runs (for the tools the matcher names, where the event has tools). */
export interface HookGroup {
  readonly matcher?: string
  readonly hooks: ReadonlyArray<HookHandler>
}

/** How long an asyncRewake `wait-mail` hook may wait for mail before Claude Code stops it (a day). */
export const waitMailTimeout = 86_400

/**
 * The hooks Claude Code runs: registration, mail shown as context, Stop blocked on unread mail, an idle session woken
 * by mail.
 */
export const claudeHooks: ReadonlyArray<HookSpec> = [
  { event: "SessionStart", hook: "session-start", timeout: 10 },
  { event: "SessionStart", hook: "wait-mail", timeout: waitMailTimeout, rewake: true },
  // Claude Code gives SessionEnd hooks about 1.5 s, whatever the timeout says.
  { event: "SessionEnd", hook: "session-end", timeout: 2 },
  { event: "UserPromptSubmit", hook: "user-prompt-submit", timeout: 5 },
  { event: "PreToolUse", hook: "pre-tool-use", timeout: 5, matcher: "*" },
  { event: "Stop", hook: "stop", timeout: 10 },
  { event: "Stop", hook: "wait-mail", timeout: waitMailTimeout, rewake: true }
]

/**
 * The hooks Codex runs: turn boundaries, and the session's end (which Codex's daemon may never fire: the launch
 * wrapper leaves the bus for sure). An idle Codex is woken by its launch wrapper through the daemon.
 */
export const codexHooks: ReadonlyArray<HookSpec> = [
  { event: "SessionStart", hook: "session-start", timeout: 10 },
  { event: "SessionEnd", hook: "session-end", timeout: 5 },
  { event: "UserPromptSubmit", hook: "user-prompt-submit", timeout: 5 },
  { event: "Stop", hook: "stop", timeout: 10 }
]

/**
 * The hooks Gemini CLI runs: registration and mail at SessionStart, mail as context before each turn (BeforeAgent),
 * a turn kept going on unread mail (AfterAgent), and the session's end (fired up to three times on one `/quit`).
 * Gemini has no rewake hook: an idle session is woken by a typed nudge.
 */
export const geminiHooks: ReadonlyArray<HookSpec> = [
  { event: "SessionStart", hook: "session-start", timeout: 10 },
  { event: "SessionEnd", hook: "session-end", timeout: 5 },
  { event: "BeforeAgent", hook: "before-agent", timeout: 5 },
  { event: "AfterAgent", hook: "after-agent", timeout: 10 }
]

/** The variables Codex must forward to the bus MCP server (Codex starts MCP servers with a scrubbed environment). */
export const codexEnvVars: ReadonlyArray<string> = [
  "TMUX",
  "TMUX_PANE",
  "HELIOY_AGENT_ID",
  "HELIOY_BUS_DIR",
  "HELIOY_RUNTIME",
  "HELIOY_BUS_CODEX_PID"
]

const busHookCommand = /(?:^|[\s/"'])helioy-bus(?:\.js)?["']?\s+hook(?:\s+["']?([a-z-]+))?/

/** Whether a hook command runs `helioy-bus hook` (as installed, from the plugin, or from PATH); never fails. */
export const isBusHookCommand = (command: string): boolean => busHookCommand.test(command)

/** The `helioy-bus hook` event a command runs, when it runs one; never fails. */
export const busHookOf = (command: string): string | undefined => busHookCommand.exec(command)?.[1]

/** The matcher groups, by event, that run the given hooks with `command(hook)`: one group per event, in spec order. */
export const hookGroups = (
  specs: ReadonlyArray<HookSpec>,
  command: (hook: string) => string
): Record<string, ReadonlyArray<HookGroup>> => {
  const groups: Record<string, { matcher?: string; hooks: Array<HookHandler> }> = {}
  for (const spec of specs) {
    const group = groups[spec.event] ??= { ...(spec.matcher === undefined ? {} : { matcher: spec.matcher }), hooks: [] }
    group.hooks.push({
      type: "command",
      command: command(spec.hook),
      timeout: spec.timeout,
      ...(spec.rewake ? { async: true, asyncRewake: true } : {})
    })
  }
  return Object.fromEntries(Object.entries(groups).map(([event, group]) => [event, [group]]))
}
