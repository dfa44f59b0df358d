import { Effect, Layer, Option } from "effect"
import { Registry, type RegistryShape } from "../services/Registry.js"
import { appliedMigration, latestPgMigration, PgBus } from "./pg/PgBus.js"
import { pgRegistryUnavailable } from "./pg/pgRegistryUnavailable.js"
import { registryQueries } from "./sql/registryQueries.js"

/** The advisory lock that serialises registrations (each reads every row, then writes). */
const registrationLock = "registration"

/**
 * Builds the registry on a PostgreSQL bus: the same rules as the SQLite one, registrations serialised by an advisory
 * lock; every failure becomes a RegistryUnavailable naming the masked URL and what to check.
 */
export const make = Effect.gen(function*() {
  const bus = yield* PgBus
  const sql = bus.sql
  const unavailable = pgRegistryUnavailable(bus)
  const [lockA, lockB] = bus.lockKeyOf(registrationLock, "")

  return {
    ...registryQueries({
      sql,
      unavailable,
      insertionOrder: "seq",
      lockRegistrations: sql`SELECT pg_advisory_xact_lock(${lockA}, ${lockB})`.pipe(Effect.mapError(unavailable))
    }),
    claimNudge: Effect.fn("Registry.claimNudge")(function*(agentId, slot) {
      const [a, b] = bus.lockKeyOf("nudge", agentId)
      return yield* Effect.gen(function*() {
        yield* sql`SELECT pg_advisory_xact_lock(${a}, ${b})`
        const claimed = yield* sql`INSERT INTO nudge_log (agent_id, nudged_at)
          SELECT ${agentId}, ${slot.now}
          WHERE NOT EXISTS (SELECT 1 FROM nudge_log WHERE agent_id = ${agentId} AND nudged_at > ${slot.since})
          RETURNING agent_id`
        if (claimed.length > 0) yield* sql`DELETE FROM nudge_log WHERE nudged_at < ${slot.forgetBefore}`
        return claimed.length > 0
      }).pipe(sql.withTransaction, Effect.mapError(unavailable))
    }),
    health: Effect.gen(function*() {
      const migration = yield* appliedMigration(sql)
      const agents = Option.isSome(migration)
        ? Number((yield* sql<{ readonly n: string }>`SELECT COUNT(*) AS n FROM agents`)[0]?.n ?? 0)
        : 0
      return { migration, latestMigration: latestPgMigration, agents, integrity: "ok" }
    }).pipe(Effect.mapError(unavailable), Effect.withSpan("Registry.health"))
  } satisfies RegistryShape
})

/** The registry on a PostgreSQL bus. */
export const layer = Layer.effect(Registry, make)
