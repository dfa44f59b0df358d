/** The warroom store over one `SqlClient`: the same SQL on SQLite and PostgreSQL but for what `WarroomEngine` names. */
import type { SqlClient, SqlError, Statement } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { newMemberId, type Warroom, WarroomMemberRow, WarroomRow } from "../../domain/Warroom.js"
import { memberSummaries } from "../../domain/WarroomView.js"
import type { RegistryUnavailable } from "../../errors/stores.js"
import { MemberNotFound, WarroomNotFound } from "../../errors/warroom.js"
import type { NewMember, WarroomsShape } from "../../services/Warrooms.js"
import { memberRow, warroomRow } from "./warroomRows.js"

const decodeWarrooms = Schema.decodeUnknown(Schema.Array(WarroomRow))
const decodeMembers = Schema.decodeUnknown(Schema.Array(WarroomMemberRow))

/** What differs between the engines a warroom store runs on. */
export interface WarroomEngine {
  /** The client every statement runs on. */
  readonly sql: SqlClient.SqlClient
  /** Maps a SQL, driver or decode failure to RegistryUnavailable, worded for the engine. */
  readonly unavailable: (failure: unknown) => RegistryUnavailable
  /** The column that orders rows of one time by insertion: SQLite's `rowid`, PostgreSQL's `seq`. */
  readonly insertionOrder: "rowid" | "seq"
  /** Runs first in each changing transaction, to serialise writers of one warroom name where BEGIN alone does not. */
  readonly lockName: (warroomId: string) => Effect.Effect<unknown, RegistryUnavailable>
  /** The condition, null-safe, that a member's `agent_instance_id` is not the one given. */
  readonly agentDiffers: (agentInstanceId: string | null) => Statement.Fragment
}

/** Builds the warroom store from an engine's client, failure mapping, order column, name lock and null-safe compare. */
export const warroomQueries = (engine: WarroomEngine): WarroomsShape => {
  const { agentDiffers, lockName, sql, unavailable } = engine
  const insertionOrder = sql.literal(engine.insertionOrder)
  const run = <A>(query: Effect.Effect<A, SqlError.SqlError>) => Effect.mapError(query, unavailable)
  const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    sql.withTransaction(effect).pipe(
      Effect.catchIf(
        (error): error is SqlError.SqlError => (error as { _tag?: string })._tag === "SqlError",
        (error) => Effect.fail(unavailable(error))
      )
    ) as Effect.Effect<A, Exclude<E, SqlError.SqlError> | RegistryUnavailable, R>

  const withMembers = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    Effect.gen(function*() {
      const warrooms = yield* Effect.mapError(Effect.flatMap(run(query), decodeWarrooms), unavailable)
      if (warrooms.length === 0) return []
      const ids = warrooms.map((w) => w.warroom_id)
      const members = yield* run(
        sql`SELECT * FROM warroom_members WHERE ${
          sql.in("warroom_id", ids)
        } ORDER BY spawn_order, created_at, ${insertionOrder}`
      ).pipe(Effect.flatMap(decodeMembers), Effect.mapError(unavailable))
      return warrooms.map((w): Warroom => ({ ...w, members: members.filter((m) => m.warroom_id === w.warroom_id) }))
    })

  const activeIds = Effect.map(
    run(
      sql<{ readonly warroom_id: string }>`SELECT warroom_id FROM warrooms WHERE status = 'active' ORDER BY warroom_id`
    ),
    (rows) => rows.map((row) => row.warroom_id)
  )

  const memberList = (warroomId: string) =>
    run(
      sql`SELECT * FROM warroom_members WHERE warroom_id = ${warroomId} ORDER BY spawn_order, created_at, ${insertionOrder}`
    ).pipe(Effect.flatMap(decodeMembers), Effect.mapError(unavailable))

  const insertMember = (warroomId: string, member: NewMember, now: string) =>
    Effect.gen(function*() {
      const row = memberRow(warroomId, yield* newMemberId, member, now)
      yield* run(sql`INSERT INTO warroom_members ${sql.insert(row)}`)
      return row
    })

  return {
    create: Effect.fn("Warrooms.create")(function*(warroom, members, now) {
      return yield* transaction(Effect.gen(function*() {
        yield* lockName(warroom.warroomId)
        yield* run(sql`DELETE FROM warroom_members WHERE warroom_id = ${warroom.warroomId}`)
        yield* run(sql`DELETE FROM warrooms WHERE warroom_id = ${warroom.warroomId}`)
        const row = warroomRow(warroom, now)
        yield* run(sql`INSERT INTO warrooms ${sql.insert(row)}`)
        const stored = yield* Effect.forEach(members, (member) => insertMember(warroom.warroomId, member, now))
        return { ...row, members: stored } satisfies Warroom
      }))
    }),
    get: Effect.fn("Warrooms.get")(function*(warroomId) {
      const found = yield* withMembers(sql`SELECT * FROM warrooms WHERE warroom_id = ${warroomId}`)
      return Option.fromNullable(found[0])
    }),
    list: withMembers(sql`SELECT * FROM warrooms ORDER BY created_at, ${insertionOrder}`).pipe(
      Effect.withSpan("Warrooms.list")
    ),
    listActive: withMembers(sql`SELECT * FROM warrooms WHERE status = 'active' ORDER BY created_at, ${insertionOrder}`)
      .pipe(Effect.withSpan("Warrooms.listActive")),
    addMember: Effect.fn("Warrooms.addMember")(function*(warroomId, member, now) {
      return yield* transaction(Effect.gen(function*() {
        yield* lockName(warroomId)
        const active = yield* activeIds
        if (!active.includes(warroomId)) return yield* new WarroomNotFound({ warroomId, active })
        return yield* insertMember(warroomId, member, now)
      }))
    }),
    removeMember: Effect.fn("Warrooms.removeMember")(function*(warroomId, memberId) {
      return yield* transaction(Effect.gen(function*() {
        yield* lockName(warroomId)
        const members = yield* memberList(warroomId)
        if (!members.some((m) => m.warroom_member_id === memberId)) {
          return yield* new MemberNotFound({ warroomId, memberId, members: memberSummaries(members) })
        }
        yield* run(sql`DELETE FROM warroom_members WHERE warroom_member_id = ${memberId}`)
        const remaining = members.length - 1
        if (remaining === 0) yield* run(sql`UPDATE warrooms SET status = 'killed' WHERE warroom_id = ${warroomId}`)
        return { remaining, closed: remaining === 0 }
      }))
    }),
    setMemberAgent: Effect.fn("Warrooms.setMemberAgent")(function*(memberId, seen, now) {
      const state = seen.agentInstanceId === null ? "pending" : "active"
      const updated = yield* run(sql`UPDATE warroom_members
        SET agent_instance_id = ${seen.agentInstanceId}, state = ${state}, tmux_target = ${seen.tmuxTarget}, updated_at = ${now}
        WHERE warroom_member_id = ${memberId}
          AND (${agentDiffers(seen.agentInstanceId)} OR state != ${state} OR tmux_target != ${seen.tmuxTarget})
        RETURNING warroom_member_id`)
      return updated.length > 0
    }),
    close: Effect.fn("Warrooms.close")(function*(warroomId) {
      const updated = yield* run(
        sql`UPDATE warrooms SET status = 'killed' WHERE warroom_id = ${warroomId} AND status = 'active' RETURNING warroom_id`
      )
      return updated.length > 0
    }),
    delete: Effect.fn("Warrooms.delete")(function*(warroomId) {
      return yield* transaction(Effect.gen(function*() {
        yield* lockName(warroomId)
        yield* run(sql`DELETE FROM warroom_members WHERE warroom_id = ${warroomId}`)
        const deleted = yield* run(sql`DELETE FROM warrooms WHERE warroom_id = ${warroomId} RETURNING warroom_id`)
        return deleted.length > 0
      }))
    })
  }
}
