import { Effect, Layer } from "effect"
import { type AgentType, toSummary } from "../domain/AgentType.js"
import { AgentCatalog, type AgentCatalogShape, catalogOf } from "../services/AgentCatalog.js"
import { Runtimes } from "../services/Runtimes.js"

/** The fields a test gives for one agent type; the rest default (a Claude plugin agent runnable by claude only). */
export interface AgentTypeFields {
  readonly namespace: string
  readonly name: string
  readonly summary?: string
  readonly model?: string
  readonly runtimes?: ReadonlyArray<string>
  readonly source?: string
}

/** An agent type for the in-memory catalogue: qualified `namespace:name`, summary cut as the live scan cuts it. */
export const agentType = (fields: AgentTypeFields): AgentType => {
  const runtimes = fields.runtimes ?? ["claude"]
  return {
    qualified_name: `${fields.namespace}:${fields.name}`,
    name: fields.name,
    namespace: fields.namespace,
    summary: toSummary(fields.summary ?? ""),
    model: fields.model ?? "",
    runtime: runtimes[0] ?? "",
    runtimes,
    source: fields.source ?? `memory:${fields.namespace}/${fields.name}.md`
  }
}

/** Builds a catalogue of fixed entries over the Runtimes service; never fails. */
export const make = (entries: ReadonlyArray<AgentType>): Effect.Effect<AgentCatalogShape, never, Runtimes> =>
  Effect.map(Runtimes, (runtimes) => catalogOf(runtimes, Effect.succeed(entries)))

/** An in-memory catalogue of the given agent types (needs Runtimes, e.g. RuntimesLive.layerTest). */
export const layerTest = (entries: ReadonlyArray<AgentType>) => Layer.effect(AgentCatalog, make(entries))
