import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted, TestClock } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import { registerAgent } from "../../src/programs/bus.js"
import { keepAlive } from "../../src/programs/keepAlive.js"
import { Registry } from "../../src/services/Registry.js"
import { seedAgent } from "../support/unitBus.js"
import { id } from "../support/unitFixtures.js"

const onPostgres = { busUrl: Option.some(Redacted.make("postgres://bus@db/bus")), host: "a" }

const lastSeen = (agentId: string) =>
  Effect.map(Effect.flatMap(Registry, (registry) => registry.get(id(agentId))), Option.map((row) => row.last_seen))

describe("keepAlive", () => {
  it.effect("on a PostgreSQL bus it heartbeats the agent this server registered", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:me" })
      yield* TestClock.adjust("100 seconds")
      yield* keepAlive
      expect(yield* lastSeen("proj:me")).toEqual(Option.some("1970-01-01T00:01:40.000000+00:00"))
    }).pipe(Effect.provide(AppTest.layerTest({ config: onPostgres }))))

  it.effect("it never heartbeats its agent once the row is another host's", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:me" })
      yield* seedAgent("proj:me", { host: "b" })
      const before = yield* lastSeen("proj:me")
      yield* TestClock.adjust("100 seconds")
      yield* keepAlive
      expect(yield* lastSeen("proj:me")).toEqual(before)
    }).pipe(Effect.provide(AppTest.layerTest({ config: onPostgres }))))

  it.effect("it never heartbeats an agent it only guessed from the working directory", () =>
    Effect.gen(function*() {
      yield* seedAgent("proj:me", { host: "a" })
      const before = yield* lastSeen("proj:me")
      yield* TestClock.adjust("100 seconds")
      yield* keepAlive
      expect(yield* lastSeen("proj:me")).toEqual(before)
    }).pipe(Effect.provide(AppTest.layerTest({ selfId: "proj:me", config: onPostgres }))))

  it.effect("on a file bus it does nothing", () =>
    Effect.gen(function*() {
      yield* registerAgent({ pwd: "/w/proj", agent_id: "proj:me" })
      const before = yield* lastSeen("proj:me")
      yield* TestClock.adjust("100 seconds")
      yield* keepAlive
      expect(yield* lastSeen("proj:me")).toEqual(before)
    }).pipe(Effect.provide(AppTest.layerTest({ config: { host: "a" } }))))
})
