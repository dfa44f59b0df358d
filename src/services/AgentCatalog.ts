import { Context, Data, Effect, Option } from "effect"
import {
  type AgentType,
  agentTypeOrder,
  findAgentType,
  generalRole,
  scopeToRuntime,
  suggestAgentTypes
} from "../domain/AgentType.js"
import type { RuntimesShape } from "./Runtimes.js"

import { UnknownRuntime } from "../errors/bus.js"
import { AgentTypeNotFound } from "../errors/catalog.js"

/** What a role name resolves to: a bare runtime (`general`), or a catalogue agent type. */
export type AgentResolution = Data.TaggedEnum<{
  General: { readonly runtime: string }
  Specialist: { readonly agentType: AgentType }
}>

/** Constructors and matchers of AgentResolution. */
export const AgentResolution = Data.taggedEnum<AgentResolution>()

/** The launchable agent types of every runtime. */
export interface AgentCatalogShape {
  /**
   * Every runtime's agent types (each file once, under the first runtime that can launch it), or one runtime's, sorted
   * by qualified name; fails with UnknownRuntime for an id no adapter has.
   */
  readonly list: (runtime: Option.Option<string>) => Effect.Effect<ReadonlyArray<AgentType>, UnknownRuntime>
  /**
   * Resolves a role: `general` to the bare runtime (given or default) without lookup, `ns:name` exactly, a short name
   * uniquely or by namespace preference; fails with UnknownRuntime or AgentTypeNotFound (with suggestions).
   */
  readonly resolve: (
    name: string,
    runtime: Option.Option<string>
  ) => Effect.Effect<AgentResolution, UnknownRuntime | AgentTypeNotFound>
  /** Up to 5 qualified names whose name or summary contains the needle, ignoring case; never fails. */
  readonly suggest: (needle: string) => Effect.Effect<ReadonlyArray<string>>
}

/** The launchable agent types. */
export class AgentCatalog extends Context.Tag("helioy/AgentCatalog")<AgentCatalog, AgentCatalogShape>() {}

/**
 * The catalogue behaviour over a source of entries (each with every runtime that can launch it), shared by the live
 * and test layers so that both honour one contract; the source's failures are its own business (it never fails).
 */
export const catalogOf = (
  runtimes: RuntimesShape,
  entries: Effect.Effect<ReadonlyArray<AgentType>>
): AgentCatalogShape => {
  const order = agentTypeOrder(runtimes.all.map((adapter) => adapter.id))
  const known = runtimes.all.map((adapter) => adapter.id).sort()
  const checkRuntime = (id: string) =>
    Option.match(runtimes.get(id), {
      onNone: () => Effect.fail(new UnknownRuntime({ runtime: id, known })),
      onSome: (adapter) => Effect.succeed(adapter.id)
    })
  const sorted = Effect.map(
    entries,
    (all) => all.map((type) => ({ ...type, runtime: type.runtimes[0] ?? type.runtime })).sort(order)
  )

  const list = Effect.fn("AgentCatalog.list")(function*(runtime: Option.Option<string>) {
    const all = yield* sorted
    if (Option.isNone(runtime)) return all
    return scopeToRuntime(all, yield* checkRuntime(runtime.value))
  })

  const suggest = Effect.fn("AgentCatalog.suggest")(function*(needle: string) {
    return suggestAgentTypes(yield* sorted, needle)
  })

  const resolve = Effect.fn("AgentCatalog.resolve")(function*(name: string, runtime: Option.Option<string>) {
    if (name === generalRole) {
      const id = Option.isSome(runtime) ? yield* checkRuntime(runtime.value) : runtimes.defaultRuntime.id
      return AgentResolution.General({ runtime: id })
    }
    const types = yield* list(runtime)
    const found = findAgentType(types, name)
    if (Option.isSome(found)) return AgentResolution.Specialist({ agentType: found.value })
    return yield* new AgentTypeNotFound({
      name,
      runtime: Option.getOrElse(runtime, () => ""),
      suggestions: suggestAgentTypes(types, name)
    })
  })

  return { list, resolve, suggest }
}
