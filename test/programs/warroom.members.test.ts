import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import * as Warroom from "../../src/programs/warroom/index.js"
import { Registry } from "../../src/services/Registry.js"
import { Warrooms } from "../../src/services/Warrooms.js"
import { seedAgent } from "../support/unitBus.js"
import {
  callsOf,
  clearCalls,
  closePane,
  failAfter,
  launchOf,
  member,
  simulatedPanes,
  simulatedWindows,
  spawnInput,
  spawnTrio
} from "../support/warroomFixtures.js"

const bus = AppTest.layerTest({ selfId: "lead:general" })
const stored = (name: string) =>
  Effect.map(Effect.flatMap(Warrooms, (warrooms) => warrooms.get(name)), Option.getOrThrow)
const registered = Effect.map(
  Effect.flatMap(Registry, (registry) => registry.list),
  (rows) => rows.map((row) => row.agent_id)
)

describe("warroom status", () => {
  it.effect("reports per member whether its pane is alive and whether its agent registered, with last_seen", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      const agent = yield* seedAgent("proj:helioy-tools:backend:alpha.0", { paneId: "%1", tmuxTarget: "work:1.0" })
      yield* clearCalls
      const [view] = yield* Warroom.status()
      expect(yield* callsOf("listPanes")).toHaveLength(1)
      expect(view).toMatchObject({
        warroom_id: "alpha",
        tmux_session: "work",
        tmux_window: "alpha",
        status: "active",
        layout: "tiled"
      })
      expect(view!.members.map((m) => [m.desired_role, m.pane_alive, m.registered, m.state, m.agent_instance_id]))
        .toEqual([
          ["helioy-tools:backend", true, true, "active", "proj:helioy-tools:backend:alpha.0"],
          ["qa", true, false, "pending", null],
          ["general", true, false, "pending", null]
        ])
      expect(view!.members[0]).toMatchObject({
        last_seen: agent.last_seen,
        token_usage: {},
        agent_type: "helioy-tools:backend"
      })
      expect(view!.members[1]).toMatchObject({ last_seen: null, token_usage: null })
      const record = yield* stored("alpha")
      expect(record.members[0]).toMatchObject({
        state: "active",
        agent_instance_id: "proj:helioy-tools:backend:alpha.0"
      })
    }).pipe(Effect.provide(bus)))

  it.effect("a member whose pane is gone is dead and unregistered, and its agent's registration is reaped", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      yield* seedAgent("proj:qa:alpha.1", { paneId: "%2" })
      yield* Warroom.status()
      yield* closePane("%2")
      const [view] = yield* Warroom.status("alpha")
      expect(view!.members[1]).toMatchObject({
        pane_alive: false,
        registered: false,
        state: "pending",
        agent_instance_id: null
      })
      expect(view!.status).toBe("active")
      expect(yield* registered).toEqual([])
      expect((yield* stored("alpha")).members[1]).toMatchObject({ state: "pending", agent_instance_id: null })
    }).pipe(Effect.provide(bus)))

  it.effect("a warroom with no live pane is closed: gone from the unnamed status, killed when named", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      for (const pane of ["%1", "%2", "%3"]) yield* closePane(pane)
      expect(yield* Warroom.status()).toEqual([])
      const [view] = yield* Warroom.status("alpha")
      expect(view!.status).toBe("killed")
      expect((yield* stored("alpha")).status).toBe("killed")
    }).pipe(Effect.provide(bus)))

  it.effect("a member whose pane moved is recorded at its new address", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      yield* closePane("%1")
      const panes = yield* simulatedPanes
      expect(panes.map((pane) => pane.paneId)).toEqual(["%2", "%3"])
      const [view] = yield* Warroom.status("alpha")
      expect(view!.members.map((m) => [m.pane_id, m.tmux_target])).toEqual([["%1", "work:1.0"], ["%2", "work:1.0"], [
        "%3",
        "work:1.1"
      ]])
      expect((yield* stored("alpha")).members.map((m) => m.tmux_target)).toEqual(["work:1.0", "work:1.0", "work:1.1"])
    }).pipe(Effect.provide(bus)))

  it.effect("an unknown name is an error that lists the active warrooms", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      const error = yield* Effect.flip(Warroom.status("nope"))
      expect(error.message).toBe("No active warroom 'nope'. Active warrooms: alpha.")
    }).pipe(Effect.provide(bus)))
})

describe("warroom add", () => {
  it.effect("splits after the last member in its window, reapplies the stored layout and records the next spawn order", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("alpha", [member("a"), member("b")], { layout: "main-horizontal" }))
      yield* clearCalls
      const result = yield* Warroom.add("alpha", member("helioy-tools:qa", { runtime: "codex", cwd: "/work/tests" }))
      expect(yield* callsOf("splitWindow", "selectLayout")).toMatchObject([
        { op: "splitWindow", target: "%2" },
        { op: "selectLayout", target: "@1", text: "main-horizontal" }
      ])
      expect(result).toMatchObject({
        warroom_id: "alpha",
        member_count: 3,
        added: {
          pane_id: "%3",
          tmux_target: "work:1.2",
          spawn_order: 2,
          desired_role: "helioy-tools:qa",
          runtime: "codex",
          agent_id: "tests:helioy-tools:qa:alpha.2"
        }
      })
      expect((yield* launchOf("%3"))!).toMatchObject({
        cwd: "/work/tests",
        env: { HELIOY_AGENT_ID: "tests:helioy-tools:qa:alpha.2", HELIOY_RUNTIME: "codex" }
      })
      expect((yield* simulatedPanes).find((pane) => pane.paneId === "%3")!.title).toBe("tests:helioy-tools:qa:work:1.2")
      expect((yield* stored("alpha")).members.map((m) => [m.spawn_order, m.pane_id])).toEqual([[0, "%1"], [1, "%2"], [
        2,
        "%3"
      ]])
    }).pipe(Effect.provide(bus)))

  it.effect("the same role may be added twice; each is its own member", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("alpha", [member("qa")]))
      const again = yield* Warroom.add("alpha", member("qa"))
      expect(again.added.agent_id).toBe("proj:qa:alpha.1")
      expect((yield* stored("alpha")).members.map((m) => m.desired_role)).toEqual(["qa", "qa"])
    }).pipe(Effect.provide(bus)))

  it.effect("adding to a missing warroom, a full one, or one whose panes are all gone fails without a pane", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(Warroom.add("nope", member("qa")))
      expect(missing.message).toContain("No active warroom 'nope'.")
      yield* Warroom.spawn(spawnInput("full", Array.from({ length: 8 }, (_, i) => member(`r${i}`))))
      const full = yield* Effect.flip(Warroom.add("full", member("qa")))
      expect(full.message).toContain("Maximum 8 agents per warroom.")
      yield* Warroom.spawn(spawnInput("dead", [member("a")]))
      yield* closePane((yield* stored("dead")).members[0]!.pane_id)
      yield* clearCalls
      const dead = yield* Effect.flip(Warroom.add("dead", member("qa")))
      expect(dead._tag).toBe("WarroomNotFound")
      expect((yield* stored("dead")).status).toBe("killed")
      expect(yield* callsOf("splitWindow")).toEqual([])
    }).pipe(Effect.provide(bus)))

  it.effect("a pane added when a later step fails is closed again and no member is recorded", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("alpha", [member("a")]))
      yield* failAfter("selectLayout", 0)
      const error = yield* Effect.flip(Warroom.add("alpha", member("b")))
      expect(error._tag).toBe("SpawnFailed")
      expect(yield* callsOf("killPane")).toEqual([{ op: "killPane", target: "%2" }])
      expect((yield* simulatedPanes).map((pane) => pane.paneId)).toEqual(["%1"])
      expect((yield* stored("alpha")).members).toHaveLength(1)
    }).pipe(Effect.provide(bus)))
})

describe("warroom remove", () => {
  it.effect("by role: kills the pane, forgets its registration and record, reapplies the layout and retitles moved panes", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      yield* seedAgent("proj:helioy-tools:backend:alpha.0", { paneId: "%1" })
      yield* clearCalls
      const result = yield* Warroom.remove("alpha", { role: "backend" })
      const removedId = result.removed.warroom_member_id
      expect(result).toEqual({
        warroom_id: "alpha",
        removed: { warroom_member_id: removedId, desired_role: "helioy-tools:backend" },
        remaining_members: 2,
        warroom_killed: false
      })
      expect(yield* callsOf("killPane", "selectLayout")).toMatchObject([
        { op: "killPane", target: "%1" },
        { op: "selectLayout", target: "@1", text: "tiled" }
      ])
      expect(yield* registered).toEqual([])
      expect((yield* simulatedPanes).map((pane) => [pane.paneId, pane.target, pane.title])).toEqual([
        ["%2", "work:1.0", "proj:qa:work:1.0"],
        ["%3", "work:1.1", "proj:general:work:1.1"]
      ])
      expect((yield* stored("alpha")).members.map((m) => [m.pane_id, m.tmux_target])).toEqual([["%2", "work:1.0"], [
        "%3",
        "work:1.1"
      ]])
    }).pipe(Effect.provide(bus)))

  it.effect("by member id; a qualified role must match exactly; unknown ids and roles name the members", () =>
    Effect.gen(function*() {
      const spawned = yield* spawnTrio
      const byId = yield* Warroom.remove("alpha", { memberId: spawned.members[1]!.warroom_member_id })
      expect(byId.removed.desired_role).toBe("qa")
      const wrongNamespace = yield* Effect.flip(Warroom.remove("alpha", { role: "other:backend" }))
      expect(wrongNamespace.message).toContain("No member with role 'other:backend' in warroom 'alpha'.")
      expect(wrongNamespace.message).toContain(spawned.members[0]!.warroom_member_id)
      const unknownId = yield* Effect.flip(Warroom.remove("alpha", { memberId: "ffffffffffffffff" }))
      expect(unknownId.message).toContain("No member 'ffffffffffffffff' in warroom 'alpha'.")
      const empty = yield* Effect.flip(Warroom.remove("alpha", { role: "" }))
      expect(empty.message).toContain("Provide either member_id or agent.")
      const noWarroom = yield* Effect.flip(Warroom.remove("nope", { role: "qa" }))
      expect(noWarroom._tag).toBe("WarroomNotFound")
    }).pipe(Effect.provide(bus)))

  it.effect("an ambiguous role is an error listing the candidates, and removes nothing", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("alpha", [member("ns:qa"), member("other:qa"), member("dev")]))
      const error = yield* Effect.flip(Warroom.remove("alpha", { role: "qa" }))
      expect(error._tag).toBe("AmbiguousRole")
      if (error._tag !== "AmbiguousRole") return
      expect(error.message).toContain("Role 'qa' is ambiguous in warroom 'alpha'.")
      expect(error.candidates.map((c) => [c.desired_role, c.tmux_target])).toEqual([["ns:qa", "work:1.0"], [
        "other:qa",
        "work:1.1"
      ]])
      expect(yield* callsOf("killPane")).toEqual([])
      expect((yield* stored("alpha")).members).toHaveLength(3)
    }).pipe(Effect.provide(bus)))

  it.effect("removing a member whose pane already closed still reapplies the layout to the others", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      yield* closePane("%2")
      yield* clearCalls
      const result = yield* Warroom.remove("alpha", { role: "qa" })
      expect(result).toMatchObject({ remaining_members: 2, warroom_killed: false })
      expect(yield* callsOf("selectLayout")).toMatchObject([{ target: "@1", text: "tiled" }])
      expect((yield* simulatedPanes).map((pane) => pane.title)).toEqual([
        "proj:helioy-tools:backend:work:1.0",
        "proj:general:work:1.1"
      ])
    }).pipe(Effect.provide(bus)))

  it.effect("removing the last member closes the warroom", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("alpha", [member("solo")]))
      const result = yield* Warroom.remove("alpha", { role: "solo" })
      expect(result).toMatchObject({ remaining_members: 0, warroom_killed: true })
      expect((yield* stored("alpha")).status).toBe("killed")
      expect(yield* simulatedWindows).toEqual([])
    }).pipe(Effect.provide(bus)))
})
