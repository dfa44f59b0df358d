import { Context, type Effect, FiberRef, Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"

/** Who the caller of this process is, and how that was decided. */
export interface ResolvedIdentity {
  readonly agentId: AgentId
  readonly source:
    | "env"
    | "call-session"
    | "session"
    | "registered-here"
    | "pid-file"
    | "tmux-pane"
    | "pane-title"
    | "cwd"
}

/**
 * The runtime session a request came with, for the length of that request: Codex names the thread of every tool call
 * in its `_meta.threadId`, which is the one trustworthy hint in its shared daemon (whose environment may belong to
 * another session). None outside a request, or for clients that send no thread.
 */
export const callerSession: FiberRef.FiberRef<Option.Option<string>> = FiberRef.unsafeMake(Option.none<string>())

/** Resolves the calling agent's identity when a tool is called without one. */
export interface IdentityShape {
  /**
   * The caller's agent id. With a call session (Codex): the agent bound to that session, the id this process
   * registered, the pid file of the nearest registered ancestor, else the working directory — never the environment,
   * which may be another session's. Without one: HELIOY_AGENT_ID, the agent of CLAUDE_CODE_SESSION_ID, the id this
   * process registered, the nearest registered ancestor's pid file, the agent of TMUX_PANE, the pane title, then the
   * working directory. Never fails.
   */
  readonly resolve: Effect.Effect<ResolvedIdentity>
  /** Remembers that this process registered an agent, which then answers for it. */
  readonly remember: (agentId: AgentId) => Effect.Effect<void>
  /** Forgets a remembered agent (it unregistered). */
  readonly forget: (agentId: AgentId) => Effect.Effect<void>
}

/** The identity resolver. */
export class Identity extends Context.Tag("helioy/Identity")<Identity, IdentityShape>() {}
