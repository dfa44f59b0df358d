import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { encodeMetadata, windowIdOf } from "../../src/domain/Warroom.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirLive from "../../src/layers/BusDirLive.js"
import * as SqlLive from "../../src/layers/SqlLive.js"
import * as WarroomsLive from "../../src/layers/WarroomsLive.js"
import * as WarroomsPg from "../../src/layers/WarroomsPg.js"
import * as WarroomsTest from "../../src/layers/WarroomsTest.js"
import { type NewMember, type NewWarroom, Warrooms } from "../../src/services/Warrooms.js"
import { noPostgres, onFreshPgBus } from "../support/pg/pgLayers.js"
import { freshBusDir } from "../support/unitLayers.js"

const warroomsLive = Layer.unwrapScoped(Effect.map(freshBusDir, (busDir) =>
  WarroomsLive.layer.pipe(
    Layer.provide(SqlLive.layer),
    Layer.provide(BusDirLive.layer),
    Layer.provide(BusConfigLive.layer({ busDir }))
  )))

const t0 = "2026-03-16T12:00:00.000000+00:00"
const t1 = "2026-03-16T12:00:01.000000+00:00"
const t2 = "2026-03-16T12:00:02.000000+00:00"

const warroom = (name: string, overrides: Partial<NewWarroom> = {}): NewWarroom => ({
  warroomId: name,
  tmuxSession: "work",
  tmuxWindow: name,
  cwd: "/w/proj",
  layout: "tiled",
  runtimePolicy: null,
  metadata: encodeMetadata("@7"),
  ...overrides
})

const member = (spawnOrder: number, role = "general", overrides: Partial<NewMember> = {}): NewMember => ({
  desiredRuntime: "claude",
  desiredRole: role,
  desiredRepo: null,
  spawnOrder,
  tmuxTarget: `work:1.${spawnOrder}`,
  paneId: `%${10 + spawnOrder}`,
  ...overrides
})

/** The Warrooms contract, run against every implementation. */
const warroomsContract = (name: string, layer: Layer.Layer<Warrooms, unknown>) =>
  describe(`Warrooms contract: ${name}`, () => {
    it.effect("a created warroom reads back active, with pending members in spawn order and 16-hex ids", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        const created = yield* warrooms.create(warroom("alpha"), [member(0, "ns:backend"), member(1, "general")], t0)
        const stored = Option.getOrThrow(yield* warrooms.get("alpha"))
        expect(stored).toEqual(created)
        expect(stored).toMatchObject({
          warroom_id: "alpha",
          tmux_session: "work",
          tmux_window: "alpha",
          cwd: "/w/proj",
          layout: "tiled",
          runtime_policy: null,
          created_at: t0,
          status: "active"
        })
        expect(windowIdOf(stored)).toBe("@7")
        expect(stored.members.map((m) => [m.spawn_order, m.desired_role, m.pane_id, m.tmux_target])).toEqual([
          [0, "ns:backend", "%10", "work:1.0"],
          [1, "general", "%11", "work:1.1"]
        ])
        for (const m of stored.members) {
          expect(m.warroom_member_id).toMatch(/^[0-9a-f]{16}$/)
          expect(m).toMatchObject({
            warroom_id: "alpha",
            state: "pending",
            agent_instance_id: null,
            desired_runtime: "claude",
            created_at: t0,
            updated_at: t0
          })
        }
        expect(new Set(stored.members.map((m) => m.warroom_member_id)).size).toBe(2)
        expect(yield* warrooms.get("nobody")).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("creating a warroom of an existing name replaces it and all its members", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        const first = yield* warrooms.create(warroom("alpha"), [member(0), member(1), member(2)], t0)
        yield* warrooms.close("alpha")
        const second = yield* warrooms.create(warroom("alpha", { layout: "main-vertical" }), [
          member(0, "qa", { paneId: "%40" })
        ], t1)
        const stored = Option.getOrThrow(yield* warrooms.get("alpha"))
        expect(stored).toMatchObject({ layout: "main-vertical", status: "active", created_at: t1 })
        expect(stored.members).toEqual(second.members)
        expect(stored.members.map((m) => m.pane_id)).toEqual(["%40"])
        expect(stored.members.some((m) => first.members.some((old) => old.warroom_member_id === m.warroom_member_id)))
          .toBe(false)
        expect(yield* warrooms.list).toHaveLength(1)
      }).pipe(Effect.provide(layer)))

    it.effect("listActive leaves out killed warrooms; list has every warroom, oldest first", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        yield* warrooms.create(warroom("one"), [member(0)], t0)
        yield* warrooms.create(warroom("two"), [member(0)], t1)
        yield* warrooms.create(warroom("three"), [member(0)], t2)
        expect(yield* warrooms.close("two")).toBe(true)
        expect(yield* warrooms.close("two")).toBe(false)
        expect((yield* warrooms.listActive).map((w) => w.warroom_id)).toEqual(["one", "three"])
        expect((yield* warrooms.list).map((w) => [w.warroom_id, w.status])).toEqual([
          ["one", "active"],
          ["two", "killed"],
          ["three", "active"]
        ])
      }).pipe(Effect.provide(layer)))

    it.effect("a member added to an active warroom is stored pending; adding to a missing or killed one fails", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        yield* warrooms.create(warroom("alpha"), [member(0)], t0)
        yield* warrooms.create(warroom("gone"), [member(0)], t0)
        yield* warrooms.close("gone")
        const added = yield* warrooms.addMember(
          "alpha",
          member(1, "qa", { desiredRepo: "repo", desiredRuntime: "codex" }),
          t1
        )
        expect(added).toMatchObject({
          warroom_id: "alpha",
          desired_role: "qa",
          desired_repo: "repo",
          desired_runtime: "codex",
          spawn_order: 1,
          state: "pending",
          created_at: t1
        })
        expect(Option.getOrThrow(yield* warrooms.get("alpha")).members.at(-1)).toEqual(added)
        const missing = yield* Effect.flip(warrooms.addMember("nope", member(0), t1))
        expect(missing).toMatchObject({ _tag: "WarroomNotFound", warroomId: "nope", active: ["alpha"] })
        const killed = yield* Effect.flip(warrooms.addMember("gone", member(1), t1))
        expect(killed._tag).toBe("WarroomNotFound")
        expect(killed.message).toContain("No active warroom 'gone'.")
      }).pipe(Effect.provide(layer)))

    it.effect("removing members counts the rest; removing the last one kills the warroom but keeps its row", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        const { members } = yield* warrooms.create(warroom("alpha"), [member(0), member(1)], t0)
        expect(yield* warrooms.removeMember("alpha", members[0]!.warroom_member_id)).toEqual({
          remaining: 1,
          closed: false
        })
        expect(Option.getOrThrow(yield* warrooms.get("alpha")).status).toBe("active")
        expect(yield* warrooms.removeMember("alpha", members[1]!.warroom_member_id)).toEqual({
          remaining: 0,
          closed: true
        })
        expect(Option.getOrThrow(yield* warrooms.get("alpha"))).toMatchObject({ status: "killed", members: [] })
        const missing = yield* Effect.flip(warrooms.removeMember("alpha", "0123456789abcdef"))
        expect(missing).toMatchObject({ _tag: "MemberNotFound", memberId: "0123456789abcdef" })
      }).pipe(Effect.provide(layer)))

    it.effect("setMemberAgent records the agent (active), its absence (pending) and the address, only when they change", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        const { members } = yield* warrooms.create(warroom("alpha"), [member(0), member(1)], t0)
        const id = members[0]!.warroom_member_id
        expect(
          yield* warrooms.setMemberAgent(id, { agentInstanceId: "proj:general:alpha.0", tmuxTarget: "work:1.0" }, t1)
        ).toBe(true)
        expect(
          yield* warrooms.setMemberAgent(id, { agentInstanceId: "proj:general:alpha.0", tmuxTarget: "work:1.0" }, t2)
        ).toBe(false)
        let stored = Option.getOrThrow(yield* warrooms.get("alpha")).members
        expect(stored[0]).toMatchObject({ state: "active", agent_instance_id: "proj:general:alpha.0", updated_at: t1 })
        expect(stored[1]).toEqual(members[1])
        expect(yield* warrooms.setMemberAgent(id, { agentInstanceId: null, tmuxTarget: "work:2.0" }, t2)).toBe(true)
        stored = Option.getOrThrow(yield* warrooms.get("alpha")).members
        expect(stored[0]).toMatchObject({
          state: "pending",
          agent_instance_id: null,
          tmux_target: "work:2.0",
          updated_at: t2
        })
      }).pipe(Effect.provide(layer)))

    it.effect("delete removes a warroom and its members; deleting an unknown one is a no-op", () =>
      Effect.gen(function*() {
        const warrooms = yield* Warrooms
        yield* warrooms.create(warroom("alpha"), [member(0), member(1)], t0)
        yield* warrooms.create(warroom("beta"), [member(0)], t0)
        expect(yield* warrooms.delete("alpha")).toBe(true)
        expect(yield* warrooms.delete("alpha")).toBe(false)
        expect(yield* warrooms.get("alpha")).toEqual(Option.none())
        expect((yield* warrooms.list).map((w) => [w.warroom_id, w.members.length])).toEqual([["beta", 1]])
      }).pipe(Effect.provide(layer)))
  })

warroomsContract("SQLite", warroomsLive)
warroomsContract("in-memory", WarroomsTest.layerTest)
describe.skipIf(noPostgres)("on PostgreSQL", () => {
  warroomsContract("PostgreSQL", onFreshPgBus(WarroomsPg.layer))
})
