import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Layer, Option } from "effect"
import { formatMillis } from "../../src/domain/Timestamp.js"
import { latestMigration } from "../../src/layers/migrations/index.js"
import * as RegistryPg from "../../src/layers/RegistryPg.js"
import { Registry } from "../../src/services/Registry.js"
import { noPostgres, onFreshPgBus } from "../support/pg/pgLayers.js"
import { explicitRegistration, id, registration } from "../support/unitFixtures.js"
import { registryLive, registryTest } from "../support/unitLayers.js"

const at = (seconds: number) => formatMillis(Date.UTC(2026, 2, 16, 12) + seconds * 1000)
const noLiveness = Option.none<ReadonlySet<string>>()

/** The nudge slot of a claim at `seconds`, with the 30 s window and a 24 h log. */
const slotAt = (seconds: number, forgetBefore = seconds - 86_400) => ({
  now: at(seconds),
  since: at(seconds - 30),
  forgetBefore: at(forgetBefore)
})

const step = FastCheck.record({
  agentId: FastCheck.option(FastCheck.constantFrom("a", "b", "proj:general", "proj:general:s:0.1"), { nil: undefined }),
  paneId: FastCheck.constantFrom("", "%1", "%2", "%3"),
  cwd: FastCheck.constantFrom("/w/proj", "/w/other"),
  tmuxTarget: FastCheck.constantFrom("", "s:0.1", "s:0.2"),
  pid: FastCheck.constantFrom(null, 10, 11),
  livePanes: FastCheck.option(FastCheck.subarray(["%1", "%2", "%3"]), { nil: undefined })
})

const registerAll = (steps: ReadonlyArray<typeof step extends FastCheck.Arbitrary<infer A> ? A : never>) =>
  Effect.gen(function*() {
    const registry = yield* Registry
    for (const [index, s] of steps.entries()) {
      const fields = { paneId: s.paneId, cwd: s.cwd, tmuxTarget: s.tmuxTarget, pid: s.pid }
      yield* registry.register(
        s.agentId === undefined ? registration(fields) : explicitRegistration(s.agentId, fields),
        s.livePanes === undefined ? noLiveness : Option.some(new Set(s.livePanes)),
        at(index)
      )
    }
    return yield* registry.list
  })

/** The Registry contract, run against every implementation. */
const registryContract = (name: string, layer: Layer.Layer<Registry, unknown>) =>
  describe(`Registry contract: ${name}`, () => {
    it.effect("a registered agent can be read back as stored", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        const stored = yield* registry.register(
          explicitRegistration("proj:general", {
            paneId: "%1",
            tmuxTarget: "s:0.1",
            pid: 7,
            sessionId: "sess",
            profile: "{}"
          }),
          noLiveness,
          at(0)
        )
        expect(stored).toMatchObject({
          agent_id: "proj:general",
          pane_id: "%1",
          registered_at: at(0),
          last_seen: at(0)
        })
        expect(yield* registry.get(id("proj:general"))).toEqual(Option.some(stored))
        expect(yield* registry.get(id("nobody"))).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("lists agents oldest registration first; a re-registration moves an agent last", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a"), noLiveness, at(1))
        yield* registry.register(explicitRegistration("b"), noLiveness, at(2))
        yield* registry.register(explicitRegistration("c"), noLiveness, at(3))
        expect((yield* registry.list).map((row) => row.agent_id)).toEqual(["a", "b", "c"])
        yield* registry.register(explicitRegistration("a"), noLiveness, at(4))
        expect((yield* registry.list).map((row) => row.agent_id)).toEqual(["b", "c", "a"])
      }).pipe(Effect.provide(layer)))

    it.effect("a re-registration replaces the row but keeps its token usage", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a", { runtime: "claude" }), noLiveness, at(1))
        const again = yield* registry.register(explicitRegistration("a", { runtime: "codex" }), noLiveness, at(2))
        expect(again).toMatchObject({ runtime: "codex", registered_at: at(2), token_usage: "{}" })
        expect(yield* registry.list).toEqual([again])
      }).pipe(Effect.provide(layer)))

    it.effect("a registration evicts the previous agent of its pane", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("old", { paneId: "%5" }), noLiveness, at(1))
        yield* registry.register(explicitRegistration("new", { paneId: "%5" }), noLiveness, at(2))
        expect((yield* registry.list).map((row) => row.agent_id)).toEqual(["new"])
      }).pipe(Effect.provide(layer)))

    it.effect("unregister deletes one row and says whether it existed", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a"), noLiveness, at(1))
        yield* registry.register(explicitRegistration("b"), noLiveness, at(2))
        expect(yield* registry.unregister(id("a"))).toBe(true)
        expect(yield* registry.unregister(id("a"))).toBe(false)
        expect((yield* registry.list).map((row) => row.agent_id)).toEqual(["b"])
      }).pipe(Effect.provide(layer)))

    it.effect("remove deletes every named row and ignores unknown ids and an empty list", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        for (const [i, id] of ["a", "b", "c"].entries()) {
          yield* registry.register(explicitRegistration(id), noLiveness, at(i))
        }
        yield* registry.remove([])
        yield* registry.remove([id("a"), id("c"), id("ghost")])
        expect((yield* registry.list).map((row) => row.agent_id)).toEqual(["b"])
      }).pipe(Effect.provide(layer)))

    it.effect("heartbeat sets last_seen only, and says whether the agent is registered", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a"), noLiveness, at(1))
        expect(yield* registry.heartbeat(id("a"), at(9))).toBe(true)
        expect(yield* registry.heartbeat(id("ghost"), at(9))).toBe(false)
        const row = yield* registry.get(id("a"))
        expect(Option.map(row, (r) => [r.registered_at, r.last_seen])).toEqual(Option.some([at(1), at(9)]))
        expect(yield* registry.get(id("ghost"))).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("readdress rewrites the tmux target of moved agents only", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a", { paneId: "%1", tmuxTarget: "s:0.0" }), noLiveness, at(1))
        yield* registry.register(explicitRegistration("b", { paneId: "%2", tmuxTarget: "s:0.1" }), noLiveness, at(2))
        yield* registry.readdress([])
        yield* registry.readdress([{ agentId: id("a"), tmuxTarget: "t:3.4" }, {
          agentId: id("ghost"),
          tmuxTarget: "x:0.0"
        }])
        expect((yield* registry.list).map((row) => [row.agent_id, row.tmux_target])).toEqual([["a", "t:3.4"], [
          "b",
          "s:0.1"
        ]])
      }).pipe(Effect.provide(layer)))

    it.effect("findByPane finds the agent of a pane", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a", { paneId: "%1" }), noLiveness, at(1))
        yield* registry.register(explicitRegistration("b", { paneId: "%2" }), noLiveness, at(2))
        expect(Option.map(yield* registry.findByPane("%2"), (row) => row.agent_id)).toEqual(Option.some("b"))
        expect(yield* registry.findByPane("%9")).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("findBySession finds the most recently seen agent of a session", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a", { sessionId: "s-1" }), noLiveness, at(1))
        yield* registry.register(explicitRegistration("b", { sessionId: "s-1" }), noLiveness, at(2))
        yield* registry.register(explicitRegistration("c", { sessionId: "s-2" }), noLiveness, at(3))
        expect(Option.map(yield* registry.findBySession("s-1"), (row) => row.agent_id)).toEqual(Option.some("b"))
        yield* registry.heartbeat(id("a"), at(4))
        expect(Option.map(yield* registry.findBySession("s-1"), (row) => row.agent_id)).toEqual(Option.some("a"))
        expect(yield* registry.findBySession("s-9")).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    describe("claimNudge", () => {
      it.effect("a second claim inside the window fails; one after the window succeeds", () =>
        Effect.gen(function*() {
          const registry = yield* Registry
          expect(yield* registry.claimNudge(id("a"), slotAt(0))).toBe(true)
          expect(yield* registry.claimNudge(id("a"), slotAt(1))).toBe(false)
          expect(yield* registry.claimNudge(id("a"), slotAt(29))).toBe(false)
          expect(yield* registry.claimNudge(id("a"), slotAt(30))).toBe(true)
          expect(yield* registry.claimNudge(id("a"), slotAt(31))).toBe(false)
        }).pipe(Effect.provide(layer)))

      it.effect("claims of different agents do not throttle each other", () =>
        Effect.gen(function*() {
          const registry = yield* Registry
          expect(yield* registry.claimNudge(id("a"), slotAt(0))).toBe(true)
          expect(yield* registry.claimNudge(id("b"), slotAt(0))).toBe(true)
          expect(yield* registry.claimNudge(id("b"), slotAt(1))).toBe(false)
        }).pipe(Effect.provide(layer)))

      it.effect("releaseNudge frees the slot it names", () =>
        Effect.gen(function*() {
          const registry = yield* Registry
          expect(yield* registry.claimNudge(id("a"), slotAt(0))).toBe(true)
          yield* registry.releaseNudge(id("a"), at(5))
          expect(yield* registry.claimNudge(id("a"), slotAt(1))).toBe(false)
          yield* registry.releaseNudge(id("a"), at(0))
          expect(yield* registry.claimNudge(id("a"), slotAt(1))).toBe(true)
        }).pipe(Effect.provide(layer)))

      it.effect("a successful claim forgets log rows older than forgetBefore", () =>
        Effect.gen(function*() {
          const registry = yield* Registry
          expect(yield* registry.claimNudge(id("a"), slotAt(10))).toBe(true)
          // b's claim forgets everything before second 11, so a's claim at 10 no longer throttles a.
          expect(yield* registry.claimNudge(id("b"), slotAt(12, 11))).toBe(true)
          expect(yield* registry.claimNudge(id("a"), slotAt(13))).toBe(true)
        }).pipe(Effect.provide(layer)))
    })

    it.effect("health reports the latest migration, the agent count and a clean quick_check", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        yield* registry.register(explicitRegistration("a"), noLiveness, at(0))
        yield* registry.register(explicitRegistration("b"), noLiveness, at(1))
        const health = yield* registry.health
        expect(health).toEqual({ migration: Option.some(latestMigration), latestMigration, agents: 2, integrity: "ok" })
      }).pipe(Effect.provide(layer)))

    it.effect.prop(
      "after any registrations agent ids are unique and no two rows share a pane",
      [FastCheck.array(step, { minLength: 1, maxLength: 12 })],
      ([steps]) =>
        Effect.gen(function*() {
          const rows = yield* registerAll(steps)
          const ids = rows.map((row) => row.agent_id)
          const panes = rows.map((row) => row.pane_id).filter((paneId) => paneId !== "")
          expect(new Set(ids).size).toBe(ids.length)
          expect(new Set(panes).size).toBe(panes.length)
          const last = steps[steps.length - 1]!
          if (last.paneId !== "") expect(panes).toContain(last.paneId)
        }).pipe(Effect.provide(layer)),
      { fastCheck: { numRuns: name === "live" ? 25 : 200 } }
    )
  })

registryContract("live", registryLive)
registryContract("test", registryTest)
describe.skipIf(noPostgres)("on PostgreSQL", () => {
  registryContract("PostgreSQL", onFreshPgBus(RegistryPg.layer))
})

describe("Registry: the test layer models the live one", () => {
  it.effect.prop(
    "any sequence of registrations leaves the same rows in both",
    [FastCheck.array(step, { minLength: 1, maxLength: 12 })],
    ([steps]) =>
      Effect.gen(function*() {
        const live = yield* Effect.provide(registerAll(steps), registryLive)
        const test = yield* Effect.provide(registerAll(steps), registryTest)
        expect(test).toEqual(live)
      }),
    { fastCheck: { numRuns: 25 } }
  )
})
