/**
 * From requested agent names to launchable members: runtime prefix, catalogue lookup, launch command, directory check.
 */
import { FileSystem } from "@effect/platform"
import { Effect, Either, Option } from "effect"
import { type AgentType, generalRole } from "../../domain/AgentType.js"
import { choosePermissions, type MemberPermissions, type PermissionChoice } from "../../domain/Permissions.js"
import { InvalidInput } from "../../errors/bus.js"
import { MissingDirectory, UnknownAgentTypes } from "../../errors/warroom.js"
import { AgentCatalog, AgentResolution } from "../../services/AgentCatalog.js"
import { Runtimes } from "../../services/Runtimes.js"
import type { MemberSpec } from "./panes.js"

/** One requested member: an agent type (or `general`) and the runtime asked for ("" for the default). */
export interface AgentRequest {
  readonly agent: string
  readonly runtime: string
}

/**
 * Reads `agent` or `runtime/agent` (e.g. `codex/reviewer`, `claude-opus/general`); `runtime` is the default for a plain
 * name.
 */
export const parseAgentEntry = (entry: string, runtime: string): AgentRequest => {
  const slash = entry.indexOf("/")
  return slash < 0
    ? { agent: entry.trim(), runtime: runtime.trim() }
    : { runtime: entry.slice(0, slash).trim(), agent: entry.slice(slash + 1).trim() }
}

/** Splits a whitespace- or comma-separated list of agents (the CLI's `--agents "a b c"`). */
export const splitAgents = (text: string): ReadonlyArray<string> => text.split(/[\s,]+/).filter((part) => part !== "")

/** A resolved member before it has a directory: its role, runtime, and the agent type when it is a specialist. */
export interface ResolvedAgent {
  readonly role: string
  readonly runtime: string
  readonly agentType: AgentType | undefined
}

/**
 * Resolves one request: `general` to the bare runtime; a name scoped to the asked runtime (default `claude`), or,
 * with no runtime and a qualified name, across every runtime (so `codex:x` lands on codex); fails with
 * UnknownRuntime or AgentTypeNotFound.
 */
export const resolveAgent = (request: AgentRequest) =>
  Effect.gen(function*() {
    const catalog = yield* AgentCatalog
    const runtimes = yield* Runtimes
    const scope = request.runtime !== ""
      ? Option.some(request.runtime)
      : request.agent.includes(":") || request.agent === generalRole
      ? Option.none()
      : Option.some(runtimes.defaultRuntime.id)
    const resolved = yield* catalog.resolve(request.agent, scope)
    return AgentResolution.$match(resolved, {
      General: ({ runtime }): ResolvedAgent => ({ role: generalRole, runtime, agentType: undefined }),
      Specialist: ({ agentType }): ResolvedAgent => ({
        role: agentType.qualified_name,
        runtime: agentType.runtime,
        agentType
      })
    })
  })

/**
 * Resolves every entry before anything is spawned; fails with UnknownAgentTypes listing each entry that did not
 * resolve.
 */
export const resolveAgents = (entries: ReadonlyArray<string>, runtime: string) =>
  Effect.gen(function*() {
    const outcomes = yield* Effect.forEach(entries, (entry) =>
      Effect.either(resolveAgent(parseAgentEntry(entry, runtime))))
    const details = outcomes.flatMap((outcome, i) =>
      Either.isRight(outcome) ? [] : [{
        agent: entries[i]!,
        error: outcome.left._tag === "AgentTypeNotFound" ? "Unknown agent type" : outcome.left.message,
        suggestions: outcome.left._tag === "AgentTypeNotFound" ? outcome.left.suggestions : []
      }]
    )
    if (details.length > 0) {
      return yield* new UnknownAgentTypes({ details })
    }
    return outcomes.flatMap((outcome) =>
      Either.isRight(outcome) ? [outcome.right] : []
    )
  })

/** The name given to the runtime's `--agent`: a plugin agent's qualified name, a user or project agent's own name. */
const launchName = (type: AgentType) =>
  type.namespace === "user" || type.namespace === "project" ? type.name : type.qualified_name

/** A resolved agent as a member at `cwd`: its runtime adapter's command line (role, instructions file, permissions). */
export const toMember = (resolved: ResolvedAgent, cwd: string, permissions: MemberPermissions, repo?: string) =>
  Effect.map(Runtimes, (runtimes): MemberSpec => {
    const adapter = Option.getOrElse(runtimes.get(resolved.runtime), () => runtimes.defaultRuntime)
    const launch = resolved.agentType === undefined
      ? adapter.launch({ permissions })
      : adapter.launch({
        agentType: launchName(resolved.agentType),
        instructionsFile: resolved.agentType.source,
        permissions
      })
    return {
      role: resolved.role,
      runtime: resolved.runtime,
      launch,
      cwd,
      permissions,
      ...(repo === undefined ? {} : { repo })
    }
  })

/**
 * The members' permissions from the request's choice, then the presets' (the first that names one), then the
 * configuration's, else each runtime's own default; fails with InvalidInput naming an unknown value.
 */
export const memberPermissions = (choices: ReadonlyArray<PermissionChoice>) =>
  Effect.flatMap(Runtimes, (runtimes) => {
    const chosen = choosePermissions([...choices, runtimes.permissionDefaults])
    return chosen.ok
      ? Effect.succeed(chosen.value)
      : Effect.fail(new InvalidInput({ field: "permission_mode", reason: chosen.error }))
  })

/** Checks that `path` is an existing directory; fails with MissingDirectory naming `what` it was meant to be. */
export const checkDirectory = (path: string, what: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const info = yield* Effect.option(fs.stat(path))
    if (Option.isNone(info) || info.value.type !== "Directory") return yield* new MissingDirectory({ path, what })
  })
