import { Effect, Layer } from "effect"
import { Warrooms } from "../services/Warrooms.js"
import { PgBus } from "./pg/PgBus.js"
import { pgRegistryUnavailable } from "./pg/pgRegistryUnavailable.js"
import { warroomQueries } from "./sql/warroomQueries.js"

/**
 * Builds the warroom store on a PostgreSQL bus (each changing method one transaction, warrooms of one name serialised
 * by row locks); failures become RegistryUnavailable naming the masked URL and what to check.
 */
export const make = Effect.gen(function*() {
  const bus = yield* PgBus
  const sql = bus.sql
  const unavailable = pgRegistryUnavailable(bus)
  return warroomQueries({
    sql,
    unavailable,
    insertionOrder: "seq",
    // Serialises writers of one warroom name for the transaction (the row may not exist yet).
    lockName: (warroomId) => {
      const [a, b] = bus.lockKeyOf("warroom", warroomId)
      return Effect.mapError(sql`SELECT pg_advisory_xact_lock(${a}, ${b})`, unavailable)
    },
    agentDiffers: (agentInstanceId) => sql`agent_instance_id IS DISTINCT FROM ${agentInstanceId}::text`
  })
})

/** The warroom store on a PostgreSQL bus. */
export const layer = Layer.effect(Warrooms, make)
