import { Config, Effect, Either, Layer, Option, Ref } from "effect"
import { canonicalAgentId, identityTitlePattern, validateAgentId } from "../domain/AgentId.js"
import { Identity, type IdentityShape, type ResolvedIdentity } from "../services/Identity.js"
import { PidFiles } from "../services/PidFiles.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { Tmux } from "../services/Tmux.js"

const maxAncestors = 32

const optionalEnv = (name: string) =>
  Config.string(name).pipe(Config.option, Effect.map(Option.filter((value) => value.trim() !== "")))

const decoration = /^[^A-Za-z0-9_-]+\s+/

/** Builds the identity resolver from the environment, the pid files, the registry and tmux; resolution never fails. */
export const make = Effect.gen(function*() {
  const pidFiles = yield* PidFiles
  const registry = yield* Registry
  const tmux = yield* Tmux
  const processes = yield* Processes
  const envAgentId = yield* optionalEnv("HELIOY_AGENT_ID")
  const sessionId = yield* optionalEnv("CLAUDE_CODE_SESSION_ID")
  const tmuxPane = yield* optionalEnv("TMUX_PANE")
  const agentType = yield* optionalEnv("HELIOY_AGENT_TYPE")
  const busAgentType = yield* optionalEnv("HELIOY_BUS_AGENT_TYPE")
  const cwd = yield* optionalEnv("HELIOY_BUS_CWD").pipe(Effect.map(Option.getOrElse(() => process.cwd())))
  const registeredHere = yield* Ref.make(Option.none<string>())

  const valid = (id: string) => Either.isRight(validateAgentId(id))
  const found = (agentId: string, source: ResolvedIdentity["source"]) => Option.some<ResolvedIdentity>({ agentId, source })

  const fromPidFiles = Effect.gen(function*() {
    let pid: Option.Option<number> = Option.some(processes.self)
    for (let hop = 0; hop < maxAncestors && Option.isSome(pid) && pid.value > 1; hop++) {
      const content = yield* pidFiles.read(pid.value)
      if (Option.isSome(content) && valid(content.value)) return found(content.value, "pid-file")
      pid = yield* processes.parentOf(pid.value)
    }
    return Option.none<ResolvedIdentity>()
  })

  const fromRegistry = (lookup: Effect.Effect<Option.Option<{ readonly agent_id: string }>, unknown>, source: ResolvedIdentity["source"]) =>
    lookup.pipe(
      Effect.map(Option.map((row) => ({ agentId: row.agent_id, source }))),
      Effect.orElseSucceed(() => Option.none<ResolvedIdentity>())
    )

  const fromPaneTitle = (paneId: string) =>
    tmux.pane(paneId).pipe(
      Effect.map((pane) => pane.title.replace(decoration, "")),
      Effect.map((title) => identityTitlePattern.test(title) ? found(title, "pane-title") : Option.none()),
      Effect.orElseSucceed(() => Option.none<ResolvedIdentity>())
    )

  const fallback: ResolvedIdentity = {
    agentId: canonicalAgentId(cwd, Option.getOrElse(Option.orElse(agentType, () => busAgentType), () => "general")),
    source: "cwd"
  }

  const candidates: ReadonlyArray<Effect.Effect<Option.Option<ResolvedIdentity>>> = [
    Effect.succeed(Option.flatMap(envAgentId, (id) => valid(id) ? found(id, "env") : Option.none())),
    Option.match(sessionId, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (id) => fromRegistry(registry.findBySession(id), "session")
    }),
    Effect.map(Ref.get(registeredHere), Option.flatMap((id) => found(id, "registered-here"))),
    fromPidFiles,
    Option.match(tmuxPane, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (pane) => fromRegistry(registry.findByPane(pane), "tmux-pane")
    }),
    Option.match(tmuxPane, { onNone: () => Effect.succeed(Option.none()), onSome: fromPaneTitle })
  ]

  const resolve = Effect.gen(function*() {
    for (const candidate of candidates) {
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
