import { Context, type Effect, type Option } from "effect"

/**
 * What this process's environment says about the session it serves, read once. These are hints, never authority:
 * in a shared daemon (Codex) the environment may be another session's, so callers decide when to use them.
 * Every field is "" when its variable is unset or blank.
 */
export interface SessionEnvShape {
  /** `HELIOY_AGENT_ID`: the agent id a launcher (warroom, the user) chose, unvalidated. */
  readonly agentId: string
  /** `HELIOY_AGENT_TYPE`, else `HELIOY_BUS_AGENT_TYPE`: the agent type a launcher chose. */
  readonly agentType: string
  /** `HELIOY_RUNTIME`: the runtime id the launch wrapper or warroom set. */
  readonly runtime: string
  /** `HELIOY_SESSION_ID`: a runtime session id a launcher set. */
  readonly sessionId: string
  /** `CLAUDE_CODE_SESSION_ID`: the Claude Code session this process runs under. */
  readonly claudeSessionId: string
  /** `TMUX_PANE`: the tmux pane this process runs in. */
  readonly tmuxPane: string
  /** `HELIOY_BUS_CWD` (set by the launch wrapper), else this process's working directory. */
  readonly cwd: string
  /** `PWD`: the working directory as the shell spelled it (symlinks kept). */
  readonly logicalPwd: string
  /** `PATH`. */
  readonly path: string
  /** The process id in the first of `names` that holds one (a runtime's pid variables), if any; never fails. */
  readonly pidFrom: (names: ReadonlyArray<string>) => Effect.Effect<Option.Option<number>>
}

/** The session's environment. */
export class SessionEnv extends Context.Tag("helioy/SessionEnv")<SessionEnv, SessionEnvShape>() {}
