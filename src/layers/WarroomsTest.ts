import { Effect, Layer, Option, Ref } from "effect"
import { newMemberId, type Warroom, type WarroomMemberRow, type WarroomRow } from "../domain/Warroom.js"
import { memberSummaries } from "../domain/WarroomView.js"
import { MemberNotFound, WarroomNotFound } from "../errors/warroom.js"
import { Warrooms, type WarroomsShape } from "../services/Warrooms.js"
import { memberRow, warroomRow } from "./sql/warroomRows.js"

interface Tables {
  readonly warrooms: ReadonlyArray<WarroomRow>
  readonly members: ReadonlyArray<WarroomMemberRow>
}

const membersOf = (tables: Tables, warroomId: string) =>
  tables.members.filter((m) => m.warroom_id === warroomId).sort((a, b) => a.spawn_order - b.spawn_order)

const withMembers = (tables: Tables, rows: ReadonlyArray<WarroomRow>): ReadonlyArray<Warroom> =>
  rows.map((row) => ({ ...row, members: membersOf(tables, row.warroom_id) }))

const activeIds = (tables: Tables) =>
  tables.warrooms.filter((w) => w.status === "active").map((w) => w.warroom_id).sort()

/** Builds an in-memory warroom store with the same contract as the SQLite one (rows kept in insertion order). */
export const make = Effect.gen(function*() {
  const tables = yield* Ref.make<Tables>({ warrooms: [], members: [] })
  const withoutWarroom = (t: Tables, warroomId: string): Tables => ({
    warrooms: t.warrooms.filter((w) => w.warroom_id !== warroomId),
    members: t.members.filter((m) => m.warroom_id !== warroomId)
  })

  return {
    create: (warroom, members, now) =>
      Effect.gen(function*() {
        const ids = yield* Effect.forEach(members, () => newMemberId)
        const row = warroomRow(warroom, now)
        const stored = members.map((member, i) => memberRow(warroom.warroomId, ids[i]!, member, now))
        yield* Ref.update(tables, (t) => {
          const rest = withoutWarroom(t, warroom.warroomId)
          return { warrooms: [...rest.warrooms, row], members: [...rest.members, ...stored] }
        })
        return { ...row, members: stored }
      }),
    get: (warroomId) =>
      Effect.map(
        Ref.get(tables),
        (t) => Option.fromNullable(withMembers(t, t.warrooms.filter((w) => w.warroom_id === warroomId))[0])
      ),
    list: Effect.map(Ref.get(tables), (t) => withMembers(t, t.warrooms)),
    listActive: Effect.map(Ref.get(tables), (t) => withMembers(t, t.warrooms.filter((w) => w.status === "active"))),
    addMember: (warroomId, member, now) =>
      Effect.gen(function*() {
        const row = memberRow(warroomId, yield* newMemberId, member, now)
        const t = yield* Ref.get(tables)
        if (!activeIds(t).includes(warroomId)) return yield* new WarroomNotFound({ warroomId, active: activeIds(t) })
        yield* Ref.set(tables, { ...t, members: [...t.members, row] })
        return row
      }),
    removeMember: (warroomId, memberId) =>
      Effect.gen(function*() {
        const t = yield* Ref.get(tables)
        const members = membersOf(t, warroomId)
        if (!members.some((m) => m.warroom_member_id === memberId)) {
          return yield* new MemberNotFound({ warroomId, memberId, members: memberSummaries(members) })
        }
        const remaining = members.length - 1
        yield* Ref.set(tables, {
          warrooms: t.warrooms.map((w) =>
            w.warroom_id === warroomId && remaining === 0 ? { ...w, status: "killed" as const } : w
          ),
          members: t.members.filter((m) => m.warroom_member_id !== memberId)
        })
        return { remaining, closed: remaining === 0 }
      }),
    setMemberAgent: (memberId, seen, now) =>
      Ref.modify(tables, (t) => {
        const state = seen.agentInstanceId === null ? "pending" as const : "active" as const
        const member = t.members.find((m) => m.warroom_member_id === memberId)
        if (
          member === undefined ||
          (member.agent_instance_id === seen.agentInstanceId && member.state === state &&
            member.tmux_target === seen.tmuxTarget)
        ) return [false, t]
        const updated = {
          ...member,
          agent_instance_id: seen.agentInstanceId,
          state,
          tmux_target: seen.tmuxTarget,
          updated_at: now
        }
        return [true, { ...t, members: t.members.map((m) => m === member ? updated : m) }]
      }),
    close: (warroomId) =>
      Ref.modify(tables, (t) => {
        const active = t.warrooms.some((w) => w.warroom_id === warroomId && w.status === "active")
        return [active, {
          ...t,
          warrooms: t.warrooms.map((w) => w.warroom_id === warroomId ? { ...w, status: "killed" as const } : w)
        }]
      }),
    delete: (warroomId) =>
      Ref.modify(tables, (t) => [t.warrooms.some((w) => w.warroom_id === warroomId), withoutWarroom(t, warroomId)])
  } satisfies WarroomsShape
})

/** An in-memory warroom store. */
export const layerTest = Layer.effect(Warrooms, make)
