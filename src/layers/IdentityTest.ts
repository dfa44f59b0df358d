import { Effect, Layer, Option, Ref } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { Identity, type IdentityShape } from "../services/Identity.js"

/** An identity that answers with the id this process registered, else `fallback` (source "cwd"). */
export const layerTest = (fallback: AgentId) =>
  Layer.effect(
    Identity,
    Effect.gen(function*() {
      const registered = yield* Ref.make(Option.none<AgentId>())
      return {
        resolve: Effect.map(
          Ref.get(registered),
          Option.match({
            onNone: () => ({ agentId: fallback, source: "cwd" as const }),
            onSome: (agentId) => ({ agentId, source: "registered-here" as const })
          })
        ),
        remember: (agentId) => Ref.set(registered, Option.some(agentId)),
        forget: (agentId) => Ref.update(registered, Option.filter((id) => id !== agentId))
      } satisfies IdentityShape
    })
  )
