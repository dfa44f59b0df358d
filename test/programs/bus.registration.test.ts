import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { formatMillis } from "../../src/domain/Timestamp.js"
import * as AppTest from "../../src/layers/AppTest.js"
import { heartbeat, registerAgent, unregisterAgent, whoami } from "../../src/programs/bus.js"
import { Registry } from "../../src/services/Registry.js"
import { seedAgent, setPanes } from "../support/unitBus.js"
import { id, pane } from "../support/unitFixtures.js"

const me = "proj:me"
const bus = AppTest.layerTest({ selfId: me })

const stored = (agentId: string) => Effect.flatMap(Registry, (registry) => registry.get(id(agentId)))

describe("registerAgent", () => {
  it.effect("registers under the canonical id of the directory, type and target", () =>
    Effect.gen(function*() {
      const result = yield* registerAgent({ pwd: "/tmp/myproject", tmux_target: "7:1.2" })
      expect(result).toEqual({ agent_id: "myproject:general:7:1.2", registered_at: formatMillis(0) })
      expect(Option.map(yield* stored("myproject:general:7:1.2"), (row) => row.runtime)).toEqual(Option.some("claude"))
    }).pipe(Effect.provide(bus)))

  it.effect("stores the caller's parent process as the agent's pid and the profile as JSON", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:lead", profile: { skills: ["ts"] }, runtime: "codex" })
      expect(Option.map(yield* stored("proj:lead"), (row) => [row.pid, row.profile, row.runtime])).toEqual(
        Option.some([999, "{\"skills\":[\"ts\"]}", "codex"])
      )
    }).pipe(Effect.provide(bus)))

  it.effect.each(["../escape", "a/b", ".hidden", "a;b"])(
    "an explicit invalid agent_id %j fails with InvalidInput and registers nothing",
    (agentId) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(registerAgent({ pwd: "/w/proj", agent_id: agentId }))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "agent_id" })
        expect(yield* Effect.flatMap(Registry, (registry) => registry.list)).toEqual([])
      }).pipe(Effect.provide(bus))
  )

  it.effect("an empty pwd fails with InvalidInput", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(registerAgent({ pwd: "  " }))).toMatchObject({ _tag: "InvalidInput", field: "pwd" })
    }).pipe(Effect.provide(bus)))

  it.effect("remembers who registered, so whoami answers for that agent", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:lead", agent_type: "lead", session_id: "sess-1" })
      expect(yield* whoami()).toEqual({
        agent_id: "proj:lead",
        agent_type: "lead",
        runtime: "claude",
        tmux_target: "",
        cwd: "/w/proj",
        session_id: "sess-1",
        registered_at: formatMillis(0),
        token_usage: {},
        identity_source: "registered-here"
      })
    }).pipe(Effect.provide(bus)))

  it.effect("a claim on an id held by another live pane registers under the pane-suffixed id", () =>
    Effect.gen(function*() {
      yield* setPanes(pane("%40", "6:3.1"), pane("%50", "6:3.2"))
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:general:6:3.1", pane_id: "%40" })
      const second = yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:general:6:3.1", pane_id: "%50" })
      expect(second.agent_id).toBe("proj:general:6:3.1:%50")
    }).pipe(Effect.provide(bus)))

  it.effect("a claim on an id held by a dead pane reclaims the id", () =>
    Effect.gen(function*() {
      yield* setPanes(pane("%50", "6:3.2"))
      yield* seedAgent("proj:general:6:3.1", { paneId: "%40" })
      const result = yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:general:6:3.1", pane_id: "%50" })
      expect(result.agent_id).toBe("proj:general:6:3.1")
      expect(Option.map(yield* stored("proj:general:6:3.1"), (row) => row.pane_id)).toEqual(Option.some("%50"))
    }).pipe(Effect.provide(bus)))
})

describe("whoami", () => {
  it.effect("fails with NotRegistered naming the resolved id when the caller has no row", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(whoami())
      expect(error).toMatchObject({ _tag: "NotRegistered", agentId: me })
      expect(error.message).toContain(`'${me}'`)
    }).pipe(Effect.provide(bus)))
})

describe("heartbeat", () => {
  it.effect("moves last_seen of a registered agent to now", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:lead" })
      yield* TestClock.adjust("5 seconds")
      expect(yield* heartbeat(undefined)).toEqual({ agent_id: "proj:lead", last_seen: formatMillis(5000) })
      expect(Option.map(yield* stored("proj:lead"), (row) => [row.registered_at, row.last_seen])).toEqual(
        Option.some([formatMillis(0), formatMillis(5000)])
      )
    }).pipe(Effect.provide(bus)))

  it.effect("fails with NotRegistered for an unknown agent", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(heartbeat("proj:ghost"))).toMatchObject({
        _tag: "NotRegistered",
        agentId: "proj:ghost"
      })
      expect(yield* Effect.flip(heartbeat(undefined))).toMatchObject({ _tag: "NotRegistered", agentId: me })
    }).pipe(Effect.provide(bus)))

  it.effect("fails with InvalidInput for a malformed agent id", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(heartbeat("a/b"))).toMatchObject({ _tag: "InvalidInput", field: "agent_id" })
    }).pipe(Effect.provide(bus)))
})

describe("unregisterAgent", () => {
  it.effect("removes the caller's row and forgets its identity", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:lead" })
      expect(yield* unregisterAgent(undefined)).toEqual({ unregistered: "proj:lead", existed: true })
      expect(yield* stored("proj:lead")).toEqual(Option.none())
      expect(yield* Effect.flip(whoami())).toMatchObject({ _tag: "NotRegistered", agentId: me })
    }).pipe(Effect.provide(bus)))

  it.effect("an unknown agent is reported as not having existed", () =>
    Effect.gen(function*() {
      expect(yield* unregisterAgent("proj:ghost")).toEqual({ unregistered: "proj:ghost", existed: false })
    }).pipe(Effect.provide(bus)))
})
