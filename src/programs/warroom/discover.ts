/** Listing the agent types a warroom can launch. */
import { Effect, Option } from "effect"
import { type AgentType, generalAgentType } from "../../domain/AgentType.js"
import { InvalidInput } from "../../errors/bus.js"
import { AgentCatalog } from "../../services/AgentCatalog.js"

/** What `warroom_discover` filters by ("" for no filter). */
export interface DiscoverQuery {
  readonly query: string
  readonly namespace: string
  readonly limit: number
  readonly runtime: string
}

/** An agent type as discovery lists it (no file path). */
const listed = (type: AgentType) => ({
  qualified_name: type.qualified_name,
  name: type.name,
  namespace: type.namespace,
  summary: type.summary,
  model: type.model,
  runtime: type.runtime,
  runtimes: type.runtimes
})

const matches = (type: AgentType, needle: string) =>
  needle === "" || type.name.toLowerCase().includes(needle) || type.summary.toLowerCase().includes(needle)

/**
 * `warroom_discover`: the agent types of one runtime (or of all, each file once), filtered by exact namespace and by
 * a case-insensitive substring of name or summary, `general` first when no namespace is asked; `total` counts before
 * `limit`. Fails with UnknownRuntime, or InvalidInput for a limit below 1.
 */
export const discover = Effect.fn("warroom.discover")(function*(request: DiscoverQuery) {
  const catalog = yield* AgentCatalog
  if (!Number.isInteger(request.limit) || request.limit < 1) {
    return yield* new InvalidInput({
      field: "limit",
      reason: `must be a whole number of at least 1 (got ${request.limit})`
    })
  }
  const runtime = request.runtime.trim()
  const scoped = yield* catalog.list(runtime === "" ? Option.none() : Option.some(runtime))
  const needle = request.query.trim().toLowerCase()
  const namespace = request.namespace.trim()
  const filtered = scoped.filter((type) => (namespace === "" || type.namespace === namespace) && matches(type, needle))
  const all = namespace === "" && matches(generalAgentType, needle) ? [generalAgentType, ...filtered] : filtered
  return {
    agents: all.slice(0, request.limit).map(listed),
    total: all.length,
    namespaces: [...new Set(scoped.map((type) => type.namespace))].sort(),
    runtimes: [...new Set(scoped.flatMap((type) => runtime === "" ? type.runtimes : [type.runtime]))].filter((id) =>
      id !== ""
    ).sort()
  }
})
