/** The registry methods whose SQL is the same on SQLite and PostgreSQL, over one `SqlClient`. */
import type { SqlClient, SqlError } from "@effect/sql"
import { Effect, Option } from "effect"
import { planRegistration } from "../../domain/Registration.js"
import type { RegistryUnavailable } from "../../errors/stores.js"
import type { RegistryShape } from "../../services/Registry.js"
import { decodeRows, decodeWakes, usableRows, wakeOf } from "./registryRows.js"

/** What differs between the engines a registry runs on. */
export interface RegistryEngine {
  /** The client every statement runs on. */
  readonly sql: SqlClient.SqlClient
  /** Maps a SQL, driver or decode failure to RegistryUnavailable, worded for the engine. */
  readonly unavailable: (failure: unknown) => RegistryUnavailable
  /** The column that orders rows of one time by insertion: SQLite's `rowid`, PostgreSQL's `seq`. */
  readonly insertionOrder: "rowid" | "seq"
  /** Runs first in a registration's transaction, to serialise registrations where BEGIN alone does not. */
  readonly lockRegistrations: Effect.Effect<unknown, RegistryUnavailable>
}

/** The registry's methods but the nudge claim and the health check (their SQL differs); every failure RegistryUnavailable. */
export type RegistryQueries = Omit<RegistryShape, "claimNudge" | "health">

/** Builds the methods both engines share from an engine's client, failure mapping, order column and registration lock. */
export const registryQueries = (engine: RegistryEngine): RegistryQueries => {
  const { lockRegistrations, sql, unavailable } = engine
  const insertionOrder = sql.literal(engine.insertionOrder)

  const storedRows = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    query.pipe(
      Effect.mapError(unavailable),
      Effect.flatMap((raw) => Effect.mapError(decodeRows(raw), unavailable))
    )

  const rows = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.flatMap(storedRows(query), usableRows)

  const first = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.map(rows(query), (found) => Option.fromNullable(found[0]))

  const wakes = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.gen(function*() {
      const raw = yield* Effect.mapError(query, unavailable)
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
    })

  const register: RegistryShape["register"] = Effect.fn("Registry.register")(
    function*(registration, livePanes, now) {
      return yield* Effect.gen(function*() {
        yield* lockRegistrations
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
    list: rows(sql`SELECT * FROM agents ORDER BY registered_at ASC, ${insertionOrder} ASC`).pipe(
      Effect.withSpan("Registry.list")
    ),
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
      return yield* wakes(sql`SELECT * FROM wakes WHERE agent_id = ${agentId} ORDER BY at ASC, ${insertionOrder} ASC`)
    }),
    wakesSince: Effect.fn("Registry.wakesSince")(function*(since, limit) {
      return yield* wakes(
        sql`SELECT * FROM wakes WHERE at >= ${since} ORDER BY at ASC, ${insertionOrder} ASC LIMIT ${limit}`
      )
    }),
    wakesFor: Effect.fn("Registry.wakesFor")(function*(messageId) {
      return yield* wakes(
        sql`SELECT * FROM wakes WHERE message_id = ${messageId} ORDER BY at ASC, ${insertionOrder} ASC`
      )
    })
  }
}
