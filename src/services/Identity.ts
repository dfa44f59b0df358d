import { Context, type Effect } from "effect"

/** Who the caller of this process is, and how that was decided. */
export interface ResolvedIdentity {
  readonly agentId: string
  readonly source: "env" | "session" | "registered-here" | "pid-file" | "tmux-pane" | "pane-title" | "cwd"
}

/** Resolves the calling agent's identity when a tool is called without one. */
export interface IdentityShape {
  /** The caller's agent id: HELIOY_AGENT_ID, the agent of CLAUDE_CODE_SESSION_ID, the id this process registered, the pid file of the nearest registered ancestor, the agent of TMUX_PANE, the pane title, then the working directory. */
  readonly resolve: Effect.Effect<ResolvedIdentity>
  /** Remembers that this process registered an agent, which then answers for it. */
  readonly remember: (agentId: string) => Effect.Effect<void>
  /** Forgets a remembered agent (it unregistered). */
  readonly forget: (agentId: string) => Effect.Effect<void>
}

/** The identity resolver. */
export class Identity extends Context.Tag("helioy/Identity")<Identity, IdentityShape>() {}
