import { Clock, Effect, Layer, Option } from "effect"
import { BusBackend, type BusBackendShape } from "../../services/BusBackend.js"
import { appliedMigration, latestPgMigration, layerExisting, PgBus } from "./PgBus.js"
import { pgRegistryUnavailable } from "./pgRegistryUnavailable.js"

/**
 * Builds the report of a PostgreSQL bus: its schema's migration and agents, and the clock skew against the server
 * (one query, this host's time taken at the midpoint of its round trip); read only.
 */
export const make = Effect.gen(function*() {
  const bus = yield* PgBus
  const sql = bus.sql
  return {
    report: Effect.gen(function*() {
      const before = yield* Clock.currentTimeMillis
      const rows = yield* sql<
        { readonly now: number }
      >`SELECT (extract(epoch from clock_timestamp()) * 1000)::float8 AS now`
      const after = yield* Clock.currentTimeMillis
      const migration = yield* appliedMigration(sql)
      const agents = Option.isSome(migration)
        ? Number((yield* sql<{ readonly n: string }>`SELECT COUNT(*) AS n FROM agents`)[0]?.n ?? 0)
        : 0
      return {
        _tag: "Postgres" as const,
        url: bus.url,
        schema: bus.schema,
        migration,
        latestMigration: latestPgMigration,
        agents,
        clockSkewMillis: Math.round(Number(rows[0]?.now ?? 0) - (before + after) / 2),
        roundTripMillis: after - before
      }
    }).pipe(Effect.mapError(pgRegistryUnavailable(bus)), Effect.withSpan("BusBackend.report"))
  } satisfies BusBackendShape
})

/** The report of the PostgreSQL bus of BusConfig, over a pool that connects on first use (never migrates). */
export const layer = Layer.effect(BusBackend, make).pipe(Layer.provide(layerExisting))
