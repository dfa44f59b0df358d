import { SqlClient, SqlError } from "@effect/sql"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { AgentId, printable, validateAgentId } from "../domain/AgentId.js"
import { type AgentRow, StoredAgentRow } from "../domain/AgentRecord.js"
import { planRegistration } from "../domain/Registration.js"
import type { WakeRecord } from "../domain/Wake.js"
import { BusConfig } from "../services/BusConfig.js"
import { Registry, type RegistryShape } from "../services/Registry.js"
import { latestMigration } from "./migrations/index.js"
import { registryUnavailable } from "./registryUnavailable.js"

/** Decodes agent rows as any version stored them. */
export const decodeRows = Schema.decodeUnknown(Schema.Array(StoredAgentRow))

/** The rows with an id this version accepts, each other one logged as skipped (another version may have written it). */
export const usableRows = (stored: ReadonlyArray<StoredAgentRow>) =>
  Effect.gen(function*() {
    const usable: Array<AgentRow> = []
    for (const row of stored) {
      const checked = validateAgentId(row.agent_id)
      if (Either.isRight(checked)) usable.push({ ...row, agent_id: checked.right })
      else {
        yield* Effect.logWarning(
          `skipping registered agent ${
            printable(JSON.stringify(row.agent_id))
          }: ${checked.left}; unregister it with the version that registered it, or re-register that agent under a valid id`
        )
      }
    }
    return usable
  })

const WakeRow = Schema.Struct({
  agent_id: AgentId,
  message_id: Schema.String,
  method: Schema.Literal("rewake", "daemon", "nudge", "turn-boundary", "hook-context", "none"),
  at: Schema.String,
  confirmed: Schema.Number,
  reason: Schema.String
})

/** Decodes wake rows. */
export const decodeWakes = Schema.decodeUnknown(Schema.Array(WakeRow))

/** A SQL failure with the driver's own message beside the statement's (`file is not a database`, ...). */
const withDriverMessage = (error: SqlError.SqlError) => {
  const driver = (error.cause as { readonly message?: unknown } | undefined)?.message
  return typeof driver === "string"
    ? new SqlError.SqlError({ message: `${error.message}: ${driver}`, cause: error.cause })
    : error
}

/** A wake row as the record it stores. */
export const wakeOf = (row: typeof WakeRow.Type): WakeRecord => ({
  agentId: row.agent_id,
  messageId: row.message_id,
  method: row.method,
  at: row.at,
  confirmed: row.confirmed !== 0,
  reason: row.reason
})

/** Builds the SQLite registry; every SQL failure becomes a RegistryUnavailable that says what to do. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { busyTimeout } = yield* BusConfig
  const unavailable = registryUnavailable(busyTimeout)

  const storedRows = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    query.pipe(
      Effect.mapError(unavailable),
      Effect.flatMap((raw) => Effect.mapError(decodeRows(raw), unavailable))
    )

  const rows = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.flatMap(storedRows(query), usableRows)

  const first = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.map(rows(query), (found) => Option.fromNullable(found[0]))

  const register: RegistryShape["register"] = Effect.fn("Registry.register")(
    function*(registration, livePanes, now) {
      return yield* Effect.gen(function*() {
        const existing = yield* storedRows(sql`SELECT * FROM agents`)
        const plan = planRegistration(registration, existing, livePanes, now)
        if (plan.evicted.length > 0) {
          yield* sql`DELETE FROM agents WHERE ${sql.in("agent_id", plan.evicted)}`.pipe(Effect.mapError(unavailable))
        }
        const row = plan.row
        yield* sql`INSERT INTO agents ${sql.insert(row)}
          ON CONFLICT(agent_id) DO UPDATE SET
            cwd = excluded.cwd, tmux_target = excluded.tmux_target, pane_id = excluded.pane_id,
            pid = excluded.pid, session_id = excluded.session_id, agent_type = excluded.agent_type,
            runtime = excluded.runtime, profile = excluded.profile,
            registered_at = excluded.registered_at, last_seen = excluded.last_seen, host = excluded.host`.pipe(
          Effect.mapError(unavailable)
        )
        return row
      }).pipe(
        sql.withTransaction,
        Effect.mapError((error) => "_tag" in error && error._tag === "RegistryUnavailable" ? error : unavailable(error))
      )
    }
  )

  return {
    register,
    get: Effect.fn("Registry.get")(function*(agentId) {
      return yield* first(sql`SELECT * FROM agents WHERE agent_id = ${agentId}`)
    }),
    list: rows(sql`SELECT * FROM agents ORDER BY registered_at ASC, rowid ASC`).pipe(Effect.withSpan("Registry.list")),
    unregister: Effect.fn("Registry.unregister")(function*(agentId) {
      const deleted = yield* sql`DELETE FROM agents WHERE agent_id = ${agentId} RETURNING agent_id`.pipe(
        Effect.mapError(unavailable)
      )
      return deleted.length > 0
    }),
    remove: Effect.fn("Registry.remove")(function*(agentIds) {
      if (agentIds.length === 0) return
      yield* sql`DELETE FROM agents WHERE ${sql.in("agent_id", agentIds)}`.pipe(Effect.mapError(unavailable))
    }),
    heartbeat: Effect.fn("Registry.heartbeat")(function*(agentId, now) {
      const updated = yield* sql`UPDATE agents SET last_seen = ${now} WHERE agent_id = ${agentId} RETURNING agent_id`
        .pipe(Effect.mapError(unavailable))
      return updated.length > 0
    }),
    readdress: Effect.fn("Registry.readdress")(function*(moves) {
      if (moves.length === 0) return
      yield* Effect.forEach(
        moves,
        (move) => sql`UPDATE agents SET tmux_target = ${move.tmuxTarget} WHERE agent_id = ${move.agentId}`,
        { discard: true }
      ).pipe(sql.withTransaction, Effect.mapError(unavailable))
    }),
    findByPane: Effect.fn("Registry.findByPane")(function*(paneId) {
      return yield* first(sql`SELECT * FROM agents WHERE pane_id = ${paneId} ORDER BY last_seen DESC LIMIT 1`)
    }),
    findBySession: Effect.fn("Registry.findBySession")(function*(sessionId) {
      return yield* first(sql`SELECT * FROM agents WHERE session_id = ${sessionId} ORDER BY last_seen DESC LIMIT 1`)
    }),
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
    releaseNudge: Effect.fn("Registry.releaseNudge")(function*(agentId, at) {
      yield* sql`DELETE FROM nudge_log WHERE agent_id = ${agentId} AND nudged_at = ${at}`.pipe(
        Effect.mapError(unavailable)
      )
    }),
    lastNudge: Effect.fn("Registry.lastNudge")(function*(agentId) {
      const found = yield* sql<
        { readonly at: string | null }
      >`SELECT MAX(nudged_at) AS at FROM nudge_log WHERE agent_id = ${agentId}`
        .pipe(Effect.mapError(unavailable))
      return Option.fromNullable(found[0]?.at)
    }),
    bindSession: Effect.fn("Registry.bindSession")(function*(agentId, sessionId) {
      const updated =
        yield* sql`UPDATE agents SET session_id = ${sessionId} WHERE agent_id = ${agentId} RETURNING agent_id`
          .pipe(Effect.mapError(unavailable))
      return updated.length > 0
    }),
    recordWakes: Effect.fn("Registry.recordWakes")(function*(wakes, forgetBefore) {
      if (wakes.length === 0) return
      yield* Effect.gen(function*() {
        yield* sql`INSERT INTO wakes ${
          sql.insert(wakes.map((wake) => ({
            agent_id: wake.agentId,
            message_id: wake.messageId,
            method: wake.method,
            at: wake.at,
            confirmed: wake.confirmed ? 1 : 0,
            reason: wake.reason
          })))
        }`
        yield* sql`DELETE FROM wakes WHERE at < ${forgetBefore}`
      }).pipe(sql.withTransaction, Effect.mapError(unavailable))
    }),
    wakesOf: Effect.fn("Registry.wakesOf")(function*(agentId) {
      const raw = yield* sql`SELECT * FROM wakes WHERE agent_id = ${agentId} ORDER BY at ASC, rowid ASC`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
    }),
    wakesSince: Effect.fn("Registry.wakesSince")(function*(since, limit) {
      const raw = yield* sql`SELECT * FROM wakes WHERE at >= ${since} ORDER BY at ASC, rowid ASC LIMIT ${limit}`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
    }),
    wakesFor: Effect.fn("Registry.wakesFor")(function*(messageId) {
      const raw = yield* sql`SELECT * FROM wakes WHERE message_id = ${messageId} ORDER BY at ASC, rowid ASC`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
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
