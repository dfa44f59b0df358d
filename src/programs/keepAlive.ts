import { Clock, Effect, Option } from "effect"
import { formatMillis } from "../domain/Timestamp.js"
import { BusConfig } from "../services/BusConfig.js"
import { Identity } from "../services/Identity.js"
import { Registry } from "../services/Registry.js"

/**
 * On a PostgreSQL bus, sets `last_seen` of the agent this server answers for (registered here or named by
 * HELIOY_AGENT_ID) when its row is of this host, so other hosts keep judging it live between tool calls; does nothing
 * on a file bus (liveness there is judged by pane and process). Never fails: a registry that cannot be reached now is
 * tried again at the next beat.
 */
export const keepAlive = Effect.gen(function*() {
  const config = yield* BusConfig
  if (Option.isNone(config.busUrl)) return
  const identity = yield* Identity
  const registry = yield* Registry
  const caller = yield* identity.resolve
  if (caller.source !== "registered-here" && caller.source !== "env") return
  const row = yield* registry.get(caller.agentId)
  if (Option.isNone(row) || (row.value.host !== "" && row.value.host !== config.host)) return
  yield* registry.heartbeat(caller.agentId, formatMillis(yield* Clock.currentTimeMillis))
}).pipe(Effect.ignore, Effect.withSpan("bus.keepAlive"))
