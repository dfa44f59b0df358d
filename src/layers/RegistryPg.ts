import type { SqlError } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import { planRegistration } from "../domain/Registration.js"
import { Registry, type RegistryShape } from "../services/Registry.js"
import { appliedMigration, latestPgMigration, PgBus } from "./pg/PgBus.js"
import { pgRegistryUnavailable } from "./pg/pgRegistryUnavailable.js"
import { decodeRows, decodeWakes, usableRows, wakeOf } from "./RegistryLive.js"

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
        yield* sql`SELECT pg_advisory_xact_lock(${lockA}, ${lockB})`.pipe(Effect.mapError(unavailable))
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
      }).pipe(sql.withTransaction, Effect.mapError(unavailable))
    }
  )

  return {
    register,
    get: Effect.fn("Registry.get")(function*(agentId) {
      return yield* first(sql`SELECT * FROM agents WHERE agent_id = ${agentId}`)
    }),
    list: rows(sql`SELECT * FROM agents ORDER BY registered_at ASC, seq ASC`).pipe(Effect.withSpan("Registry.list")),
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
    wakesSince: Effect.fn("Registry.wakesSince")(function*(since, limit) {
      const raw = yield* sql`SELECT * FROM wakes WHERE at >= ${since} ORDER BY at ASC, seq ASC LIMIT ${limit}`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
    }),
    wakesFor: Effect.fn("Registry.wakesFor")(function*(messageId) {
      const raw = yield* sql`SELECT * FROM wakes WHERE message_id = ${messageId} ORDER BY at ASC, seq ASC`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
    }),
    wakesOf: Effect.fn("Registry.wakesOf")(function*(agentId) {
      const raw = yield* sql`SELECT * FROM wakes WHERE agent_id = ${agentId} ORDER BY at ASC, seq ASC`.pipe(
        Effect.mapError(unavailable)
      )
      return (yield* Effect.mapError(decodeWakes(raw), unavailable)).map(wakeOf)
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
