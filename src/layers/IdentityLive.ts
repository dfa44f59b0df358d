import { Effect, Either, FiberRef, Layer, Option, Ref } from "effect"
import { type AgentId, canonicalAgentId, identityTitlePattern, validateAgentId } from "../domain/AgentId.js"
import { nearestRegisteredAncestor } from "../programs/ancestry.js"
import { callerSession, Identity, type IdentityShape, type ResolvedIdentity } from "../services/Identity.js"
import { PidFiles } from "../services/PidFiles.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { SessionEnv } from "../services/SessionEnv.js"
import { Tmux } from "../services/Tmux.js"

const hint = (value: string) => (value === "" ? Option.none<string>() : Option.some(value))

const decoration = /^[^A-Za-z0-9_-]+\s+/

/**
 * Builds the identity resolver from the session hints, the pid files, the registry and tmux; resolution never fails.
 */
export const make = Effect.gen(function*() {
  const pidFiles = yield* PidFiles
  const registry = yield* Registry
  const tmux = yield* Tmux
  const processes = yield* Processes
  const hints = yield* SessionEnv
  const envAgentId = hint(hints.agentId)
  const sessionId = hint(hints.claudeSessionId)
  const tmuxPane = hint(hints.tmuxPane)
  const cwd = hints.cwd
  const registeredHere = yield* Ref.make(Option.none<AgentId>())

  const valid = (id: string) => Either.getRight(validateAgentId(id))
  const found = (agentId: AgentId, source: ResolvedIdentity["source"]) =>
    Option.some<ResolvedIdentity>({ agentId, source })

  const fromPidFiles = Effect.map(
    nearestRegisteredAncestor(pidFiles, processes, processes.self),
    Option.flatMap((id) => found(id, "pid-file"))
  )

  const fromRegistry = (
    lookup: Effect.Effect<Option.Option<{ readonly agent_id: AgentId }>, unknown>,
    source: ResolvedIdentity["source"]
  ) =>
    lookup.pipe(
      Effect.map(Option.map((row) => ({ agentId: row.agent_id, source }))),
      Effect.orElseSucceed(() => Option.none<ResolvedIdentity>())
    )

  const fromPaneTitle = (paneId: string) =>
    tmux.pane(paneId).pipe(
      Effect.map((pane) => pane.title.replace(decoration, "")),
      Effect.map((title) =>
        identityTitlePattern.test(title) ? Option.flatMap(valid(title), (id) => found(id, "pane-title")) : Option.none()
      ),
      Effect.orElseSucceed(() => Option.none<ResolvedIdentity>())
    )

  const fallback: ResolvedIdentity = {
    agentId: canonicalAgentId(cwd, hints.agentType || "general"),
    source: "cwd"
  }

  const fromRegisteredHere = Effect.map(Ref.get(registeredHere), Option.flatMap((id) => found(id, "registered-here")))

  // A request from a shared daemon (it names its session): only what the request and the process tree say counts.
  const sharedCandidates = (session: string): ReadonlyArray<Effect.Effect<Option.Option<ResolvedIdentity>>> => [
    fromRegistry(registry.findBySession(session), "call-session"),
    fromRegisteredHere,
    fromPidFiles
  ]

  const candidates: ReadonlyArray<Effect.Effect<Option.Option<ResolvedIdentity>>> = [
    Effect.succeed(Option.flatMap(Option.flatMap(envAgentId, valid), (id) => found(id, "env"))),
    Option.match(sessionId, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (id) => fromRegistry(registry.findBySession(id), "session")
    }),
    fromRegisteredHere,
    fromPidFiles,
    Option.match(tmuxPane, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (pane) => fromRegistry(registry.findByPane(pane), "tmux-pane")
    }),
    Option.match(tmuxPane, { onNone: () => Effect.succeed(Option.none()), onSome: fromPaneTitle })
  ]

  const resolve = Effect.gen(function*() {
    const session = yield* FiberRef.get(callerSession)
    for (const candidate of Option.match(session, { onNone: () => candidates, onSome: sharedCandidates })) {
      const resolved = yield* candidate
      if (Option.isSome(resolved)) return resolved.value
    }
    return fallback
  }).pipe(Effect.withSpan("Identity.resolve"))

  return {
    resolve,
    remember: (agentId) => Ref.set(registeredHere, Option.some(agentId)),
    forget: (agentId) => Ref.update(registeredHere, Option.filter((id) => id !== agentId))
  } satisfies IdentityShape
})

/** The identity resolver. */
export const layer = Layer.effect(Identity, make)
