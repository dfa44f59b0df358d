/** The doctor's checks on test layers: each asks its service and turns the answer into a check with its fix apart. */
import { FileSystem } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import { BusDirRefused } from "../../src/errors/stores.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirCheckTest from "../../src/layers/BusDirCheckTest.js"
import { latestMigration } from "../../src/layers/migrations/index.js"
import * as RegistryTest from "../../src/layers/RegistryTest.js"
import * as TmuxTest from "../../src/layers/TmuxTest.js"
import { diagnose } from "../../src/programs/doctor/diagnose.js"
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
const doctorTest = (busDirCheck: Layer.Layer<BusDirCheck> = BusDirCheckTest.layerTest()) =>
  Layer.mergeAll(
    RegistryTest.layerTest,
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
})
