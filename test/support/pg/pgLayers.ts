/** The PostgreSQL layers over the test server: each build gets a schema of its own, dropped when its scope closes. */
import { Effect, Layer, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { Client } from "pg"
import { inject } from "vitest"
import * as BusConfigLive from "../../../src/layers/BusConfigLive.js"
import * as PgBus from "../../../src/layers/pg/PgBus.js"
import type { BusConfig, BusConfigShape } from "../../../src/services/BusConfig.js"

/** The test server's URL; "" when PostgreSQL is not installed here (the PostgreSQL suites skip). */
export const pgUrl: string = inject("pgUrl")

/** Whether the PostgreSQL suites skip; says why once, on stderr. */
export const noPostgres = pgUrl === ""
if (noPostgres) {
  process.stderr.write(
    "PostgreSQL tests skipped: no server binaries under /usr/lib/postgresql (apt-get install postgresql)\n"
  )
}

/** Runs one statement on a connection of its own. */
export const adminQuery = (url: string, statement: string) =>
  Effect.promise(async () => {
    const client = new Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query(statement)).rows
    } finally {
      await client.end()
    }
  })

/** A fresh schema name, dropped (with everything in it) when the scope closes. */
export const freshSchema = Effect.acquireRelease(
  Effect.sync(() => `hb_test_${randomBytes(6).toString("hex")}`),
  (schema) => Effect.ignore(adminQuery(pgUrl, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
)

/**
 * Settings of a PostgreSQL bus in `schema` of the test server, any field overridden; the host is the schema's name (so
 * its sessions are `helioy-bus@<schema>` in pg_stat_activity).
 */
export const pgConfig = (schema: string, config: Partial<BusConfigShape> = {}) =>
  BusConfigLive.layer({ host: schema, ...config, busUrl: Option.some(Redacted.make(pgUrl)), pgSchema: schema })

/** `layer` on a PostgreSQL bus in a fresh schema, with its settings. */
export const onFreshPgBus = <A, E>(
  layer: Layer.Layer<A, E, PgBus.PgBus | BusConfig>,
  config: Partial<BusConfigShape> = {}
) =>
  Layer.unwrapScoped(Effect.map(freshSchema, (schema) => {
    const settings = pgConfig(schema, config)
    return layer.pipe(Layer.provideMerge(PgBus.layer), Layer.provideMerge(settings))
  }))
