/**
 * The connection to a PostgreSQL bus: one pool per process whose sessions see only the bus's schema, migrated when the
 * layer is built; shared by the registry, the warroom store and the mailboxes.
 */
import { Reactivity } from "@effect/experimental"
import { SqlClient, type SqlError } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import { createHash } from "node:crypto"
import { Pool } from "pg"
import { RegistryUnavailable } from "../../errors/stores.js"
import { BusConfig } from "../../services/BusConfig.js"
import { maskedUrl } from "./busUrl.js"
import { latestPgMigration, pgMigrations } from "./migrations.js"
import { describePgFailure } from "./pgUnavailable.js"

/** What the PostgreSQL layers share. */
export interface PgBusShape {
  /** The SQL client on the pool (statements run in the bus's schema). */
  readonly sql: PgClient.PgClient
  /** The pool itself, for sessions held across calls (listeners, waiter locks, open claims). */
  readonly pool: Pool
  /** The bus's schema. */
  readonly schema: string
  /** The URL with its password masked. */
  readonly url: string
  /** A sentence for a failure: the masked URL, the driver's words without secrets, what to check; and its code. */
  readonly describe: (failure: unknown) => { readonly reason: string; readonly code: string | undefined }
  /** The notification channel of an agent's inbox (an identifier of 32 characters, unique per schema and agent). */
  readonly channelOf: (agentId: string) => string
  /** The notification channel of every delivery and read of the bus (see `inboxFeed.ts`), unique per schema. */
  readonly feedChannel: string
  /** The advisory lock key (two int4) of a purpose and an agent, unique per schema. */
  readonly lockKeyOf: (purpose: string, agentId: string) => readonly [number, number]
}

/** The PostgreSQL bus connection. */
export class PgBus extends Context.Tag("helioy/PgBus")<PgBus, PgBusShape>() {}

const digest = (text: string) => createHash("sha256").update(text).digest()

/** The password of a URL as written and decoded; none when it has none or does not parse. */
const urlPasswords = (url: string): ReadonlyArray<string> => {
  try {
    const password = new URL(url).password
    return password === "" ? [] : [password, decodeURIComponent(password)]
  } catch {
    return []
  }
}

/** The advisory lock of migrations (any schema's: migrations of two schemas just wait for each other). */
const migrationLock = 0x68656c69

/**
 * Applies the migrations not yet recorded, in one transaction under an advisory lock (servers starting at once wait for
 * each other); creates the schema first.
 */
const migrate = (sql: SqlClient.SqlClient, schema: string) =>
  sql.withTransaction(Effect.gen(function*() {
    yield* sql`SELECT pg_advisory_xact_lock(${migrationLock})`
    yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
      migration_id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`)
    const done = new Set(
      (yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM schema_migrations`).map((row) =>
        row.migration_id
      )
    )
    for (const migration of pgMigrations) {
      if (done.has(migration.id)) continue
      for (const statement of migration.statements) yield* sql.unsafe(statement)
      yield* sql`INSERT INTO schema_migrations (migration_id, name) VALUES (${migration.id}, ${migration.name})`
    }
  }))

/** The latest migration recorded in the bus's schema; none when the schema or its table does not exist. */
export const appliedMigration = (sql: SqlClient.SqlClient): Effect.Effect<Option.Option<number>, SqlError.SqlError> =>
  Effect.gen(function*() {
    const exists = yield* sql<{ readonly found: string | null }>`SELECT to_regclass('schema_migrations') AS found`
    if (exists[0]?.found == null) return Option.none()
    const found = yield* sql<{ readonly id: number | null }>`SELECT MAX(migration_id) AS id FROM schema_migrations`
    return Option.fromNullable(found[0]?.id)
  })

export { latestPgMigration }

/**
 * Opens the pool of `HELIOY_BUS_URL` (search_path the bus's schema, connect timeout the busy timeout, at least 5 s);
 * with `migrate`, checks it with a first query and migrates the schema (without, nothing is asked until first use); fails with RegistryUnavailable naming the masked URL and what
 * to check.
 */
export const make = (options: { readonly migrate: boolean } = { migrate: true }) =>
  Effect.gen(function*() {
    const config = yield* BusConfig
    if (Option.isNone(config.busUrl)) {
      return yield* new RegistryUnavailable({ reason: "no PostgreSQL bus configured (HELIOY_BUS_URL is not set)" })
    }
    const url = Redacted.value(config.busUrl.value).trim()
    const masked = maskedUrl(url)
    const secrets = [...urlPasswords(url), process.env.PGPASSWORD ?? ""]
    const describe = (failure: unknown) => describePgFailure(masked, failure, secrets)
    const fail = (failure: unknown) => {
      const { code, reason } = describe(failure)
      return new RegistryUnavailable({ reason, ...(code === undefined ? {} : { code }) })
    }
    const schema = config.pgSchema
    const connectTimeout = Math.max(5_000, Duration.toMillis(config.busyTimeout))
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const created = new Pool({
          connectionString: url,
          options: `-c search_path="${schema}"`,
          application_name: `helioy-bus@${config.host}`.slice(0, 63),
          connectionTimeoutMillis: connectTimeout,
          idleTimeoutMillis: 30_000,
          keepAlive: true,
          max: 10
        })
        // An idle client that loses its server emits here; the next query opens a new one.
        created.on("error", () => undefined)
        return created
      }),
      (pool) => Effect.promise(() => pool.end()).pipe(Effect.timeoutOption(1000), Effect.ignore)
    )
    const sql = yield* PgClient.fromPool({ acquire: Effect.succeed(pool), applicationName: "helioy-bus" }).pipe(
      Effect.mapError(fail)
    )
    if (options.migrate) {
      // The first query checks the connection too; a schema already at the latest migration is not locked again (every
      // hook process builds this layer).
      const applied = yield* appliedMigration(sql).pipe(Effect.mapError(fail))
      if (Option.getOrElse(applied, () => 0) < latestPgMigration) {
        yield* migrate(sql, schema).pipe(Effect.mapError(fail))
      }
    }
    return {
      sql,
      pool,
      schema,
      url: masked,
      describe,
      channelOf: (agentId) => `hb_${digest(`${schema}\u0000inbox\u0000${agentId}`).toString("hex").slice(0, 29)}`,
      feedChannel: `hb_${digest(`${schema}\u0000feed`).toString("hex").slice(0, 29)}`,
      lockKeyOf: (purpose, agentId) => {
        const bytes = digest(`${schema}\u0000${purpose}\u0000${agentId}`)
        return [bytes.readInt32BE(0), bytes.readInt32BE(4)] as const
      }
    } satisfies PgBusShape
  })

/** The migrated PostgreSQL bus, and its SqlClient for the registry and warroom store. */
export const layer = Layer.scoped(PgBus, make()).pipe(Layer.provide(Reactivity.layer))

/** The PostgreSQL bus as it is, connected on first use and never migrated (for `helioy-bus doctor`). */
export const layerExisting = Layer.scoped(PgBus, make({ migrate: false })).pipe(Layer.provide(Reactivity.layer))
