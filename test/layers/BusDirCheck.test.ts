/** `BusDirCheck.inspect` on real directories: the server's rules, and nothing created. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirCheckLive from "../../src/layers/BusDirCheckLive.js"
import { BusDirCheck } from "../../src/services/BusDirCheck.js"
import { tempDir } from "../integration/liveBus.js"

const inspect = (busDir: string) =>
  Effect.flatMap(BusDirCheck, (check) => check.inspect).pipe(
    Effect.provide(BusDirCheckLive.layer.pipe(Layer.provide(BusConfigLive.layer({ busDir }))))
  )

describe("BusDirCheck.inspect, live", () => {
  it.scoped("finds a missing bus dir missing and leaves it so", () =>
    Effect.gen(function*() {
      const busDir = join(yield* tempDir("helioy-busdircheck-"), "bus")
      expect(yield* inspect(busDir)).toEqual({ root: busDir, exists: false })
      expect(fs.existsSync(busDir)).toBe(false)
    }))

  it.scoped("passes a 0700 bus dir of yours without creating its subdirectories", () =>
    Effect.gen(function*() {
      const busDir = join(yield* tempDir("helioy-busdircheck-"), "bus")
      fs.mkdirSync(busDir, { mode: 0o700 })
      expect(yield* inspect(busDir)).toEqual({ root: busDir, exists: true })
      expect(fs.readdirSync(busDir)).toEqual([])
    }))

  it.scoped("refuses a group-writable subdirectory with the chmod that fixes it", () =>
    Effect.gen(function*() {
      const busDir = join(yield* tempDir("helioy-busdircheck-"), "bus")
      fs.mkdirSync(join(busDir, "inbox"), { recursive: true, mode: 0o700 })
      fs.chmodSync(join(busDir, "inbox"), 0o770)
      const refused = yield* Effect.flip(inspect(busDir))
      expect(refused).toMatchObject({ _tag: "BusDirRefused", path: join(busDir, "inbox") })
      expect(refused.reason).toContain(`run: chmod 700 ${join(busDir, "inbox")}`)
    }))

  it.scoped("refuses a bus dir that is a symlink, even to a good directory", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-busdircheck-")
      fs.mkdirSync(join(root, "real"), { mode: 0o700 })
      fs.symlinkSync(join(root, "real"), join(root, "bus"))
      expect((yield* Effect.flip(inspect(join(root, "bus")))).reason).toContain("it is a symlink")
    }))
})
