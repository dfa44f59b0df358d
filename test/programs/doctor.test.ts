/** The doctor's checks on test layers: each asks its service and turns the answer into a check with its fix apart. */
import { FileSystem } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Ref } from "effect"
import { BusDirRefused, RegistryUnavailable } from "../../src/errors/stores.js"
import * as BusBackendTest from "../../src/layers/BusBackendTest.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirCheckTest from "../../src/layers/BusDirCheckTest.js"
import { latestMigration } from "../../src/layers/migrations/index.js"
import * as RegistryTest from "../../src/layers/RegistryTest.js"
import * as TmuxTest from "../../src/layers/TmuxTest.js"
import { diagnose } from "../../src/programs/doctor/diagnose.js"
import type { BusBackend } from "../../src/services/BusBackend.js"
import type { BusDirCheck } from "../../src/services/BusDirCheck.js"
import { Registry } from "../../src/services/Registry.js"
import { explicitRegistration } from "../support/unitFixtures.js"

const locations = {
  claudeJson: "/home/u/.claude.json",
  claudeSettings: "/home/u/.claude/settings.json",
  codexConfig: "/home/u/.codex/config.toml",
  codexHooks: "/home/u/.codex/hooks.json",
  geminiSettings: "/home/u/.gemini/settings.json",
  geminiTrustedFolders: "/home/u/.gemini/trustedFolders.json"
}

/** A filesystem where only registry.db exists: every configuration file reads as missing. */
const onlyRegistryDb = FileSystem.layerNoop({ exists: (path) => Effect.succeed(path === "/bus/registry.db") })

/** The doctor's services on test layers, over the bus dir `/bus`. */
const doctorTest = (
  busDirCheck: Layer.Layer<BusDirCheck> = BusDirCheckTest.layerTest(),
  backend = BusBackendTest.layerTest()
) =>
  Layer.mergeAll(
    RegistryTest.layerTest,
    backend,
    TmuxTest.layerTest,
    busDirCheck,
    onlyRegistryDb,
    BusConfigLive.layer({ busDir: "/bus", tmuxBin: "tmux" })
  )

const checkNamed = (name: string) =>
  Effect.map(diagnose(locations), (checks) => checks.find((check) => check.name === name))

describe("doctor checks on test layers", () => {
  it.effect("the registry check reports Registry.health: the migration and the agents registered", () =>
    Effect.gen(function*() {
      const registry = yield* Registry
      yield* registry.register(explicitRegistration("proj:a"), Option.none(), "2026-03-16T12:00:00.000Z")
      expect(yield* checkNamed("registry")).toEqual({
        name: "registry",
        status: "ok",
        detail: `/bus/registry.db: schema at migration ${latestMigration}, 1 agent(s) registered`,
        fix: Option.none()
      })
    }).pipe(Effect.provide(doctorTest())))

  it.effect("tmux that cannot be run is a warning that says to install tmux, not a failure", () =>
    Effect.gen(function*() {
      yield* Ref.set((yield* TmuxTest.TmuxTestControl).missing, true)
      expect(yield* checkNamed("tmux")).toMatchObject({ status: "warn", fix: Option.some("install tmux") })
    }).pipe(Effect.provide(doctorTest())))

  it.effect("tmux that runs reports the version Tmux.version answers", () =>
    Effect.gen(function*() {
      yield* Ref.set((yield* TmuxTest.TmuxTestControl).version, "tmux 9.9")
      expect(yield* checkNamed("tmux")).toMatchObject({ status: "ok", detail: "tmux 9.9 (tmux)" })
    }).pipe(Effect.provide(doctorTest())))

  it.effect("a refused bus dir fails with the refusal's problem as detail and its remedy as the fix", () =>
    Effect.gen(function*() {
      expect(yield* checkNamed("bus dir")).toEqual({
        name: "bus dir",
        status: "fail",
        detail: "/bus: it is group- or world-writable (mode 770)",
        fix: Option.some("run: chmod 700 /bus")
      })
    }).pipe(Effect.provide(doctorTest(BusDirCheckTest.layerTest(
      new BusDirRefused({ path: "/bus", reason: "it is group- or world-writable (mode 770); run: chmod 700 /bus" })
    )))))

  it.effect("with no runtime wired the runtimes check fails and says how to wire one", () =>
    Effect.gen(function*() {
      const checks = yield* diagnose(locations)
      expect(checks.map((check) => check.name)).toEqual([
        "bus dir",
        "registry",
        "tmux",
        "claude",
        "codex",
        "gemini",
        "runtimes"
      ])
      expect(checks.find((check) => check.name === "runtimes")).toMatchObject({ status: "fail" })
    }).pipe(Effect.provide(doctorTest())))

  describe("on a PostgreSQL bus", () => {
    const report = (fields: { readonly migration?: number; readonly clockSkewMillis?: number } = {}) =>
      Effect.succeed({
        _tag: "Postgres" as const,
        url: "postgres://bus:***@db.example:5432/bus",
        schema: "helioy_bus",
        migration: Option.fromNullable(fields.migration ?? 3),
        latestMigration: 3,
        agents: 4,
        clockSkewMillis: fields.clockSkewMillis ?? 120,
        roundTripMillis: 2
      })
    const onPostgres = (backend: Layer.Layer<BusBackend>) =>
      Layer.merge(
        doctorTest(BusDirCheckTest.layerTest(), backend),
        BusConfigLive.layer({
          busDir: "/bus",
          tmuxBin: "tmux",
          busUrl: Option.some(Redacted.make("postgres://bus:pw@db.example:5432/bus"))
        })
      )

    it.effect("the connection, schema version and clock skew replace the registry.db check", () =>
      Effect.gen(function*() {
        const checks = yield* diagnose(locations)
        expect(checks.some((check) => check.name === "registry")).toBe(false)
        expect(yield* checkNamed("postgres")).toMatchObject({
          status: "ok",
          detail: "postgres://bus:***@db.example:5432/bus: schema helioy_bus at migration 3, 4 agent(s) registered"
        })
        expect(yield* checkNamed("clock")).toMatchObject({ status: "ok", detail: expect.stringContaining("+120 ms") })
      }).pipe(Effect.provide(onPostgres(BusBackendTest.layerTest(report())))))

    it.effect("a clock 40 s off fails (other hosts would misjudge heartbeats); an older schema warns", () =>
      Effect.gen(function*() {
        expect((yield* checkNamed("clock"))?.status).toBe("fail")
        expect(yield* checkNamed("postgres")).toMatchObject({
          status: "warn",
          detail: expect.stringContaining("at migration 2 of 3")
        })
      }).pipe(
        Effect.provide(onPostgres(BusBackendTest.layerTest(report({ migration: 2, clockSkewMillis: -40_000 }))))
      ))

    it.effect("an unreachable server fails the postgres check with its reason", () =>
      Effect.gen(function*() {
        expect(yield* checkNamed("postgres")).toMatchObject({
          status: "fail",
          detail: "PostgreSQL bus at postgres://bus:***@db.example:5432/bus: connect ECONNREFUSED"
        })
      }).pipe(
        Effect.provide(onPostgres(BusBackendTest.layerTest(Effect.fail(
          new RegistryUnavailable({
            reason: "PostgreSQL bus at postgres://bus:***@db.example:5432/bus: connect ECONNREFUSED"
          })
        ))))
      ))
  })
})
