import { Clock, Duration, Effect, Either, Option } from "effect"
import { type AgentId, validateAgentId } from "../domain/AgentId.js"
import { PidFiles } from "../services/PidFiles.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { nearestRegisteredAncestor } from "./ancestry.js"
import type { HookContext } from "./hookContext.js"

/** How often a hook looks for its session's registration while it waits for it. */
const sessionPoll = Duration.millis(100)

const validId = (id: string): Option.Option<AgentId> => Either.getRight(validateAgentId(id))

/**
 * Who a hook speaks for, decided from what its session owns and never guessed: HELIOY_AGENT_ID (only where the
 * runtime gives each session its own environment), else the agent registered with the event's session id, else
 * (where the environment is shared, as in Codex's daemon) the nearest ancestor process's pid file, which then gets
 * the session bound to it. Concurrent hooks of one session agree: while the registration is merely not there yet,
 * the hook waits for it (up to `wait`) instead of falling back to another id. None when nothing owns the session.
 */
export const hookAgent = Effect.fn("hooks.agent")(function*(hook: HookContext, wait: Duration.Duration) {
  const registry = yield* Registry
  const fromEnv = validId(hook.agentId)
  if (Option.isSome(fromEnv)) return fromEnv
  const sessionId = hook.event.session_id
  const bySession = sessionId === ""
    ? Effect.succeed(Option.none<AgentId>())
    : Effect.map(registry.findBySession(sessionId), Option.flatMap((row) => validId(row.agent_id)))
  const now = yield* bySession
  if (Option.isSome(now)) return now
  if (hook.environment === "shared" || sessionId === "") {
    const ancestor = yield* nearestRegisteredAncestor(yield* PidFiles, yield* Processes, hook.runtimePid)
    const agentId = Option.flatMap(ancestor, validId)
    if (Option.isSome(agentId)) {
      if (sessionId !== "") yield* registry.bindSession(agentId.value, sessionId)
      return agentId
    }
  }
  if (sessionId === "" || Duration.toMillis(wait) === 0) return Option.none<AgentId>()
  const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(wait)
  while ((yield* Clock.currentTimeMillis) < deadline) {
    yield* Effect.sleep(sessionPoll)
    const registered = yield* bySession
    if (Option.isSome(registered)) return registered
  }
  return Option.none<AgentId>()
})
