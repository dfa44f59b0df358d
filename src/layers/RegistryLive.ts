import { SqlClient, SqlError } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import { BusConfig } from "../services/BusConfig.js"
import { Registry, type RegistryShape } from "../services/Registry.js"
import { latestMigration } from "./migrations/index.js"
import { registryUnavailable } from "./registryUnavailable.js"
import { registryQueries } from "./sql/registryQueries.js"

// The row decoders, still under the names this module exported before they moved.
export { decodeRows, decodeWakes, usableRows, wakeOf } from "./sql/registryRows.js"

/** A SQL failure with the driver's own message beside the statement's (`file is not a database`, ...). */
const withDriverMessage = (error: SqlError.SqlError) => {
  const driver = (error.cause as { readonly message?: unknown } | undefined)?.message
  return typeof driver === "string"
    ? new SqlError.SqlError({ message: `${error.message}: ${driver}`, cause: error.cause })
    : error
}

/** Builds the SQLite registry; every SQL failure becomes a RegistryUnavailable that says what to do. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { busyTimeout } = yield* BusConfig
  const unavailable = registryUnavailable(busyTimeout)

  return {
    // BEGIN IMMEDIATE already serialises registrations.
    ...registryQueries({ sql, unavailable, insertionOrder: "rowid", lockRegistrations: Effect.void }),
    claimNudge: Effect.fn("Registry.claimNudge")(function*(agentId, slot) {
      const claimed = yield* sql`INSERT INTO nudge_log (agent_id, nudged_at)
        SELECT ${agentId}, ${slot.now}
        WHERE NOT EXISTS (SELECT 1 FROM nudge_log WHERE agent_id = ${agentId} AND nudged_at > ${slot.since})
        RETURNING agent_id`.pipe(Effect.mapError(unavailable))
      if (claimed.length > 0) {
        yield* sql`DELETE FROM nudge_log WHERE nudged_at < ${slot.forgetBefore}`.pipe(Effect.mapError(unavailable))
      }
      return claimed.length > 0
    }),
    health: Effect.gen(function*() {
      const tables = new Set(
        (yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`).map((row) =>
          row.name
        )
      )
      const migration = tables.has("effect_sql_migrations")
        ? Option.fromNullable(
          (yield* sql<{ readonly id: number | null }>`SELECT MAX(migration_id) AS id FROM effect_sql_migrations`)[0]?.id
        )
        : Option.none<number>()
      const agents = tables.has("agents")
        ? (yield* sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM agents`)[0]?.n ?? 0
        : 0
      const checked = yield* sql<{ readonly quick_check: string }>`PRAGMA quick_check`
      return { migration, latestMigration, agents, integrity: checked.map((row) => row.quick_check).join("; ") }
    }).pipe(Effect.mapError((error) => unavailable(withDriverMessage(error))), Effect.withSpan("Registry.health"))
  } satisfies RegistryShape
})

/** The registry on SQLite. */
export const layer = Layer.effect(Registry, make)
