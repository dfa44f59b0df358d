import { Reactivity } from "@effect/experimental"
import { SqlClient, SqlError } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Migrator from "@effect/sql/Migrator"
import * as Statement from "@effect/sql/Statement"
import { Duration, Effect, Layer, Option, Scope } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { RegistryUnavailable } from "../errors/stores.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir } from "../services/BusDir.js"
import { migrations } from "./migrations/index.js"
import { registryUnavailable } from "./registryUnavailable.js"

const runMigrations = Migrator.make({})({ loader: Migrator.fromRecord(migrations) })

const unavailable = (busyTimeout: Duration.Duration) =>
  registryUnavailable(
    busyTimeout,
    (message, code) =>
      `cannot open registry.db: ${message}${code ? ` (${code})` : ""}. ` +
      "If another process holds it, retry; if the file is corrupt, move it aside and the bus recreates it."
  )

/**
 * Creates registry.db 0600 before SQLite opens it (SQLite would create it 0644 minus the umask, and gives its -wal and
 * -shm files the database's mode), and takes group/other access away from one that exists; leaves anything that is
 * not a regular file of ours to SQLite's own error.
 */
const makePrivate = (path: string, create: boolean) => {
  try {
    const fd = fs.openSync(
      path,
      fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | (create ? fs.constants.O_CREAT : 0),
      0o600
    )
    try {
      const stat = fs.fstatSync(fd)
      if (stat.isFile() && (stat.mode & 0o077) !== 0) fs.fchmodSync(fd, stat.mode & 0o700)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return
  }
}

/**
 * Why SQLite must not open `path` (registry.db, its -wal or -shm): a symlink (SQLite would follow it out of the bus
 * dir), not a regular file, a file with other hard links, or another user's; undefined when it is fine or missing.
 */
const registryFileProblem = (path: string): string | undefined => {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(path)
  } catch {
    return undefined
  }
  if (stat.isSymbolicLink()) {
    return `${path} is a symlink; the bus never follows links out of the bus dir. Remove it (and move the real file into place if it is your registry)`
  }
  if (!stat.isFile()) return `${path} is not a regular file; move it aside`
  if (stat.nlink !== 1) return `${path} has ${stat.nlink} hard links (a link to a file elsewhere); move it aside`
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) return `${path} belongs to uid ${stat.uid}, not to you; move it aside`
  return undefined
}

/** A ROLLBACK that finds no transaction (BEGIN itself failed, e.g. busy, or SQLite already rolled back) is a no-op. */
const noTransactionActive = (error: SqlError.SqlError) =>
  /no transaction is active/.test(String((error.cause as Error | undefined)?.message))

/**
 * Opens `registry.db` (WAL, busy timeout and synchronous set) as a SqlClient whose transactions begin with
 * `BEGIN IMMEDIATE`, then migrates it; fails with RegistryUnavailable when the file cannot be opened or migrated.
 */
export const make = Effect.gen(function*() {
  const { registryDb } = yield* BusDir
  const { busyTimeout } = yield* BusConfig
  const fail = unavailable(busyTimeout)
  const files = [registryDb, `${registryDb}-wal`, `${registryDb}-shm`]
  for (const path of files) {
    const problem = registryFileProblem(path)
    if (problem !== undefined) return yield* new RegistryUnavailable({ reason: problem })
  }
  for (const path of files) makePrivate(path, path === registryDb)
  const sqlite = yield* SqliteClient.make({ filename: registryDb }).pipe(
    Effect.catchAllDefect((defect) => Effect.fail(fail(defect)))
  )
  const connection = yield* Effect.scoped(sqlite.reserve).pipe(Effect.mapError(fail))
  for (
    const pragma of [`busy_timeout = ${Duration.toMillis(busyTimeout)}`, "synchronous = NORMAL", "foreign_keys = ON"]
  ) {
    yield* connection.executeUnprepared(`PRAGMA ${pragma}`, [], undefined).pipe(Effect.mapError(fail))
  }
  // @effect/sql rolls back (orDie) whenever a transaction fails, even when its BEGIN failed: without this, a busy
  // registry would surface as a defect ("cannot rollback") instead of RegistryUnavailable.
  const transactionConnection: typeof connection = {
    ...connection,
    executeUnprepared: (statement, params, transformRows) =>
      statement === "ROLLBACK"
        ? connection.executeUnprepared(statement, params, transformRows).pipe(
          Effect.catchIf(noTransactionActive, () => Effect.succeed([]))
        )
        : statement === "COMMIT"
        // A COMMIT that fails (disk full, I/O error) may leave the transaction open: end it, or every later BEGIN
        // fails.
        ? connection.executeUnprepared(statement, params, transformRows).pipe(
          Effect.tapError(() => Effect.ignore(connection.executeUnprepared("ROLLBACK", [], undefined)))
        )
        : connection.executeUnprepared(statement, params, transformRows)
  }
  const semaphore = yield* Effect.makeSemaphore(1)
  const client = yield* SqlClient.make({
    acquirer: semaphore.withPermits(1)(Effect.succeed(connection)),
    transactionAcquirer: Effect.uninterruptibleMask((restore) =>
      restore(semaphore.take(1)).pipe(
        Effect.zipRight(Effect.tap(Effect.scope, (scope) => Scope.addFinalizer(scope, semaphore.release(1)))),
        Effect.as(transactionConnection)
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
  // @effect/sql turns a failed COMMIT into a defect (orDie): give it back as the SqlError it is, so a full disk
  // reaches the caller as RegistryUnavailable with its cause instead of an internal error.
  const withTransaction = client.withTransaction
  return Object.assign(client, {
    withTransaction: <R, E, A>(self: Effect.Effect<A, E, R>) =>
      withTransaction(self).pipe(
        Effect.catchSomeDefect((defect) =>
          defect instanceof SqlError.SqlError ? Option.some(Effect.fail(defect)) : Option.none()
        )
      )
  })
})

/** The registry database as a migrated SqlClient. */
export const layer = Layer.scoped(SqlClient.SqlClient, make).pipe(Layer.provide(Reactivity.layer))

/**
 * Opens an existing `registry.db` of the configured bus dir (`BusConfig`, not `BusDir`: nothing is created) on first
 * use, as it is: no migration, no pragma that writes. Read-write, as a read-only connection would leave empty -wal and
 * -shm files behind (the last connection to close removes them as usual). For reading (`Registry.health` in
 * `helioy-bus doctor`); a missing file, a link or a file of another user fails the first query with a SqlError that
 * says so.
 */
export const makeExisting = Effect.gen(function*() {
  const { busDir, busyTimeout } = yield* BusConfig
  const registryDb = join(busDir, "registry.db")
  const scope = yield* Effect.scope
  const reactivity = yield* Reactivity.Reactivity
  const refuse = (message: string, cause?: unknown) => new SqlError.SqlError({ message, cause })
  const open = Effect.gen(function*() {
    if (!fs.existsSync(registryDb)) return yield* refuse(`${registryDb} does not exist`)
    for (const path of [registryDb, `${registryDb}-wal`, `${registryDb}-shm`]) {
      const problem = registryFileProblem(path)
      if (problem !== undefined) return yield* refuse(problem)
    }
    const sqlite = yield* SqliteClient.make({ filename: registryDb, disableWAL: true }).pipe(
      Scope.extend(scope),
      Effect.provideService(Reactivity.Reactivity, reactivity),
      Effect.catchAllDefect((defect) => Effect.fail(refuse(`cannot open ${registryDb}`, defect)))
    )
    const connection = yield* Scope.extend(sqlite.reserve, scope)
    yield* connection.executeUnprepared(`PRAGMA busy_timeout = ${Duration.toMillis(busyTimeout)}`, [], undefined)
    return connection
  })
  return yield* SqlClient.make({
    acquirer: yield* Effect.cached(open),
    compiler: Statement.makeCompilerSqlite(),
    spanAttributes: [["db.system.name", "sqlite"]]
  })
})

/** An existing registry database, opened on first use and never created or migrated (see `makeExisting`). */
export const layerExisting = Layer.scoped(SqlClient.SqlClient, makeExisting).pipe(Layer.provide(Reactivity.layer))
