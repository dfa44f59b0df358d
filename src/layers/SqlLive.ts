import { Reactivity } from "@effect/experimental"
import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import * as Statement from "@effect/sql/Statement"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Duration, Effect, Layer, Scope } from "effect"
import { RegistryUnavailable } from "../domain/errors.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir } from "../services/BusDir.js"
import { migrations } from "./migrations/index.js"

const runMigrations = Migrator.make({})({ loader: Migrator.fromRecord(migrations) })

const unavailable = (path: string) => (cause: unknown) =>
  new RegistryUnavailable({
    reason: `cannot open ${path}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
      "If another process holds it, retry; if the file is corrupt, move it aside and the bus recreates it."
  })

/**
 * Opens `registry.db` (WAL, busy timeout and synchronous set) as a SqlClient whose transactions begin with
 * `BEGIN IMMEDIATE`, then migrates it; fails with RegistryUnavailable when the file cannot be opened or migrated.
 */
export const make = Effect.gen(function*() {
  const { registryDb } = yield* BusDir
  const { busyTimeout } = yield* BusConfig
  const fail = unavailable(registryDb)
  const sqlite = yield* SqliteClient.make({ filename: registryDb }).pipe(
    Effect.catchAllDefect((defect) => Effect.fail(fail(defect)))
  )
  const connection = yield* Effect.scoped(sqlite.reserve).pipe(Effect.mapError(fail))
  for (const pragma of [`busy_timeout = ${Duration.toMillis(busyTimeout)}`, "synchronous = NORMAL", "foreign_keys = ON"]) {
    yield* connection.executeUnprepared(`PRAGMA ${pragma}`, [], undefined).pipe(Effect.mapError(fail))
  }
  const semaphore = yield* Effect.makeSemaphore(1)
  const client = yield* SqlClient.make({
    acquirer: semaphore.withPermits(1)(Effect.succeed(connection)),
    transactionAcquirer: Effect.uninterruptibleMask((restore) =>
      restore(semaphore.take(1)).pipe(
        Effect.zipRight(Effect.tap(Effect.scope, (scope) => Scope.addFinalizer(scope, semaphore.release(1)))),
        Effect.as(connection)
      )
    ),
    compiler: Statement.makeCompilerSqlite(),
    beginTransaction: "BEGIN IMMEDIATE",
    spanAttributes: [["db.system.name", "sqlite"]]
  })
  yield* runMigrations.pipe(
    Effect.provideService(SqlClient.SqlClient, client),
    Effect.mapError(fail),
    Effect.catchAllDefect((defect) => Effect.fail(fail(defect)))
  )
  return client
})

/** The registry database as a migrated SqlClient. */
export const layer = Layer.scoped(SqlClient.SqlClient, make).pipe(Layer.provide(Reactivity.layer))
