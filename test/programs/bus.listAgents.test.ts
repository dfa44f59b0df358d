import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Ref, TestClock } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import { ProcessTable } from "../../src/layers/ProcessesTest.js"
import { TmuxTestControl } from "../../src/layers/TmuxTest.js"
import { listAgents } from "../../src/programs/bus.js"
import { Registry } from "../../src/services/Registry.js"
import { seedAgent, setPanes, tmuxCalls } from "../support/unitBus.js"
import { id, pane } from "../support/unitFixtures.js"

const bus = AppTest.layerTest({ selfId: "proj:me" })

const idsOf = (input: Parameters<typeof listAgents>[0]) =>
  Effect.map(listAgents(input), (rows) => rows.map((row) => row.agent_id))

const stored = (agentId: string) => Effect.flatMap(Registry, (registry) => registry.get(id(agentId)))

/** Agents in panes at the given targets, each pane listed by tmux (pane ids %1, %2, ...). */
const agentsAt = (targets: ReadonlyArray<readonly [agentId: string, target: string]>) =>
  Effect.gen(function*() {
    yield* setPanes(...targets.map(([, target], i) => pane(`%${i + 1}`, target)))
    for (const [i, [agentId, target]] of targets.entries()) {
      yield* seedAgent(agentId, { paneId: `%${i + 1}`, tmuxTarget: target })
    }
  })

describe("listAgents", () => {
  describe("agents of other hosts", () => {
    const onHostA = AppTest.layerTest({ selfId: "proj:me", config: { host: "a" } })

    it.effect("an agent of another host is listed (with its host) while its heartbeat is fresh, though its pane is not here", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "s:0.0"))
        yield* seedAgent("proj:here", { paneId: "%1", tmuxTarget: "s:0.0", host: "a" })
        yield* seedAgent("proj:there", { paneId: "%7", tmuxTarget: "w:1.0", host: "b" })
        const listed = yield* listAgents({})
        expect(listed.map((row) => [row.agent_id, row.host])).toEqual([["proj:here", "a"], ["proj:there", "b"]])
      }).pipe(Effect.provide(onHostA)))

    it.effect("an agent of another host without a heartbeat for 120 s is left out but not removed; a heartbeat brings it back", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:there", { paneId: "%7", host: "b" })
        yield* TestClock.adjust("119 seconds")
        expect(yield* idsOf({})).toEqual(["proj:there"])
        yield* TestClock.adjust("2 seconds")
        expect(yield* idsOf({})).toEqual([])
        expect(Option.isSome(yield* stored("proj:there"))).toBe(true)
        const registry = yield* Registry
        yield* registry.heartbeat(id("proj:there"), "1970-01-01T00:02:01.000000+00:00")
        expect(yield* idsOf({})).toEqual(["proj:there"])
      }).pipe(Effect.provide(onHostA)))
  })

  describe("reconciliation", () => {
    it.effect("drops agents whose pane is gone, from the list and from the registry", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "s:0.0"))
        yield* seedAgent("proj:alive", { paneId: "%1", tmuxTarget: "s:0.0" })
        yield* seedAgent("proj:gone", { paneId: "%2", tmuxTarget: "s:0.1" })
        expect(yield* idsOf({})).toEqual(["proj:alive"])
        expect(yield* stored("proj:gone")).toEqual(Option.none())
      }).pipe(Effect.provide(bus)))

    it.effect("drops agents whose pane is dead (remain-on-exit)", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "s:0.0", { dead: true }))
        yield* seedAgent("proj:dead", { paneId: "%1", tmuxTarget: "s:0.0" })
        expect(yield* idsOf({})).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("drops legacy agents whose target no longer exists", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "s:0.0"))
        yield* seedAgent("proj:legacy-alive", { tmuxTarget: "s:0.0" })
        yield* seedAgent("proj:legacy-gone", { tmuxTarget: "s:0.9" })
        expect(yield* idsOf({})).toEqual(["proj:legacy-alive"])
      }).pipe(Effect.provide(bus)))

    it.effect("drops agents without a pane whose process is dead, keeps those whose process lives", () =>
      Effect.gen(function*() {
        const table = yield* ProcessTable
        yield* Ref.update(table, (map) => new Map(map).set(4242, 1).set(4343, 1))
        yield* seedAgent("proj:dies", { pid: 4242 })
        yield* seedAgent("proj:lives", { pid: 4343 })
        yield* seedAgent("proj:no-pid", { pid: null })
        yield* Ref.update(table, (map) => {
          const next = new Map(map)
          next.delete(4242)
          return next
        })
        expect(yield* idsOf({})).toEqual(["proj:lives", "proj:no-pid"])
        expect(yield* stored("proj:dies")).toEqual(Option.none())
      }).pipe(Effect.provide(bus)))

    it.effect("readdresses an agent whose pane moved, in the list and in the registry", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "s:0.0"))
        yield* seedAgent("proj:mover", { paneId: "%1", tmuxTarget: "s:0.0" })
        yield* setPanes(pane("%1", "t:2.3"))
        const [row] = yield* listAgents({})
        expect(row?.tmux_target).toBe("t:2.3")
        expect(Option.map(yield* stored("proj:mover"), (r) => r.tmux_target)).toEqual(Option.some("t:2.3"))
      }).pipe(Effect.provide(bus)))

    it.effect("keeps pane-backed agents when tmux is missing", () =>
      Effect.gen(function*() {
        const control = yield* TmuxTestControl
        yield* seedAgent("proj:paned", { paneId: "%1", tmuxTarget: "s:0.0" })
        yield* seedAgent("proj:legacy", { tmuxTarget: "s:0.1" })
        yield* Ref.set(control.missing, true)
        expect(yield* idsOf({})).toEqual(["proj:paned", "proj:legacy"])
      }).pipe(Effect.provide(bus)))

    it.effect("does not call tmux when no agent has a pane or target", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:plain")
        expect(yield* idsOf({})).toEqual(["proj:plain"])
        expect(yield* tmuxCalls).toEqual([])
      }).pipe(Effect.provide(bus)))
  })

  describe("filters", () => {
    const layout = agentsAt([
      ["a", "work:0.0"],
      ["b", "work:0.1"],
      ["c", "work:1.0"],
      ["d", "work:01.0"],
      ["e", "workshop:0.0"],
      ["f", "other:0.0"]
    ])

    it.effect("a session filter keeps that session's agents only", () =>
      Effect.gen(function*() {
        yield* layout
        expect(yield* idsOf({ tmux_filter: "work" })).toEqual(["a", "b", "c", "d"])
      }).pipe(Effect.provide(bus)))

    it.effect("a session:window filter keeps that window's agents only", () =>
      Effect.gen(function*() {
        yield* layout
        expect(yield* idsOf({ tmux_filter: "work:0" })).toEqual(["a", "b"])
        expect(yield* idsOf({ tmux_filter: "work:01" })).toEqual(["d"])
      }).pipe(Effect.provide(bus)))

    it.effect.each(["w_rk", "%", "wo%", "_"])(
      "%j is matched literally, not as a wildcard",
      (filter) =>
        Effect.gen(function*() {
          yield* layout
          expect(yield* idsOf({ tmux_filter: filter })).toEqual([])
        }).pipe(Effect.provide(bus))
    )

    it.effect("a cwd_basename filter keeps agents whose directory has that basename", () =>
      Effect.gen(function*() {
        yield* seedAgent("x", { cwd: "/home/u/proj" })
        yield* seedAgent("y", { cwd: "/srv/proj/" })
        yield* seedAgent("z", { cwd: "/home/u/other" })
        yield* seedAgent("w", { cwd: "/home/u/proj-2" })
        expect(yield* idsOf({ cwd_basename: "proj" })).toEqual(["x", "y"])
        expect(yield* idsOf({ cwd_basename: "/anywhere/proj/" })).toEqual(["x", "y"])
      }).pipe(Effect.provide(bus)))

    it.effect("the tmux and cwd filters compose", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%1", "work:0.0"), pane("%2", "work:0.1"), pane("%3", "other:0.0"))
        yield* seedAgent("a", { paneId: "%1", tmuxTarget: "work:0.0", cwd: "/w/api" })
        yield* seedAgent("b", { paneId: "%2", tmuxTarget: "work:0.1", cwd: "/w/web" })
        yield* seedAgent("c", { paneId: "%3", tmuxTarget: "other:0.0", cwd: "/w/api" })
        expect(yield* idsOf({ tmux_filter: "work", cwd_basename: "api" })).toEqual(["a"])
      }).pipe(Effect.provide(bus)))

    it.effect("profile and token usage are returned as parsed JSON", () =>
      Effect.gen(function*() {
        yield* seedAgent("a", { profile: "{\"role\":\"lead\"}" })
        const [row] = yield* listAgents({})
        expect(row?.profile).toEqual({ role: "lead" })
        expect(row?.token_usage).toEqual({})
      }).pipe(Effect.provide(bus)))
  })
})
