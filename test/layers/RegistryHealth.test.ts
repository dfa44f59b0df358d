/** `Registry.health` over `SqlLive.layerExisting`: real registry files, read as they are, never created or migrated. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirLive from "../../src/layers/BusDirLive.js"
import { latestMigration } from "../../src/layers/migrations/index.js"
import * as RegistryLive from "../../src/layers/RegistryLive.js"
import * as SqlLive from "../../src/layers/SqlLive.js"
import { Registry } from "../../src/services/Registry.js"
import { tempDir } from "../integration/liveBus.js"
import { createLegacyReferenceDb, snapshotDb } from "../integration/referenceDb.js"
import { explicitRegistration } from "../support/unitFixtures.js"

/** The registry over the existing database of `busDir`. */
const existing = (busDir: string) =>
  RegistryLive.layer.pipe(Layer.provide(SqlLive.layerExisting), Layer.provide(BusConfigLive.layer({ busDir })))

/** The registry over `busDir` as `helioy-bus serve` builds it: created and migrated. */
const migrated = (busDir: string) =>
  RegistryLive.layer.pipe(
    Layer.provide(SqlLive.layer),
    Layer.provide(BusDirLive.layer),
    Layer.provide(BusConfigLive.layer({ busDir }))
  )

const health = Effect.flatMap(Registry, (registry) => registry.health)

describe("Registry.health on an existing registry.db", () => {
  it.scoped("reads a database the bus made: its migration and agents", () =>
    Effect.gen(function*() {
      const busDir = join(yield* tempDir("helioy-health-"), "bus")
      yield* Effect.flatMap(Registry, (registry) =>
        registry.register(explicitRegistration("proj:a"), Option.none(), "2026-03-16T12:00:00.000Z")).pipe(
          Effect.provide(migrated(busDir))
        )
      expect(yield* Effect.provide(health, existing(busDir))).toEqual({
        migration: Option.some(latestMigration),
        latestMigration,
        agents: 1,
        integrity: "ok"
      })
    }))

  it.scoped("reads a database the Python helioy-bus made without migrating it", () =>
    Effect.gen(function*() {
      const busDir = yield* tempDir("helioy-health-")
      const registryDb = join(busDir, "registry.db")
      createLegacyReferenceDb(registryDb)
      const before = snapshotDb(registryDb)
      fs.rmSync(`${registryDb}-wal`, { force: true })
      fs.rmSync(`${registryDb}-shm`, { force: true })
      const found = yield* Effect.provide(health, existing(busDir))
      expect(fs.readdirSync(busDir)).toEqual(["registry.db"])
      expect(found).toMatchObject({ migration: Option.none(), agents: 1, integrity: "ok" })
      expect(snapshotDb(registryDb)).toEqual(before)
    }))

  it.scoped("fails with RegistryUnavailable saying the file is not a database", () =>
    Effect.gen(function*() {
      const busDir = yield* tempDir("helioy-health-")
      fs.writeFileSync(
        join(busDir, "registry.db"),
        "this is not sqlite, just text that is long enough to have a header\n".repeat(20)
      )
      const error = yield* Effect.flip(Effect.provide(health, existing(busDir)))
      expect(error._tag).toBe("RegistryUnavailable")
      expect(error.reason).toContain("file is not a database")
    }))

  it.scoped("fails on a missing registry.db without creating it or the bus dir", () =>
    Effect.gen(function*() {
      const busDir = join(yield* tempDir("helioy-health-"), "bus")
      const error = yield* Effect.flip(Effect.provide(health, existing(busDir)))
      expect(error.reason).toContain(`${join(busDir, "registry.db")} does not exist`)
      expect(fs.existsSync(busDir)).toBe(false)
    }))

  it.scoped("refuses a registry.db that is a symlink, without following it", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-health-")
      const busDir = join(root, "bus")
      fs.mkdirSync(busDir, { mode: 0o700 })
      createLegacyReferenceDb(join(root, "elsewhere.db"))
      fs.symlinkSync(join(root, "elsewhere.db"), join(busDir, "registry.db"))
      const error = yield* Effect.flip(Effect.provide(health, existing(busDir)))
      expect(error.reason).toContain("is a symlink")
    }))
})
