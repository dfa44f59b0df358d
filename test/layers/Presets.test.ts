import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { presetAgentsRule, presetNameRule } from "../../src/domain/Preset.js"
import * as BusDirTest from "../../src/layers/BusDirTest.js"
import * as PresetsLive from "../../src/layers/PresetsLive.js"
import * as PresetsTest from "../../src/layers/PresetsTest.js"
import { Presets } from "../../src/services/Presets.js"

/** Files to find in `presets/` when the layer is built (file name -> text). */
type Seed = Readonly<Record<string, string>>

/** A fresh bus dir holding the seed files (only when there are any), removed when the scope closes. */
const seededBusDir = (seed: Seed) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const root = fs.mkdtempSync(join(os.tmpdir(), "helioy-presets-"))
      if (Object.keys(seed).length > 0) {
        fs.mkdirSync(join(root, "presets"), { mode: 0o700 })
        for (const [name, text] of Object.entries(seed)) fs.writeFileSync(join(root, "presets", name), text)
      }
      return root
    }),
    (root) => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true }))
  )

const presetsLive = (seed: Seed = {}) =>
  Layer.unwrapScoped(
    Effect.map(seededBusDir(seed), (root) => PresetsLive.layer.pipe(Layer.provide(BusDirTest.layerTest(root))))
  )

const presetsTest = (seed: Seed = {}) => PresetsTest.layerTest({ files: seed })

const team = {
  name: "api-team",
  description: "Backend crew",
  agents: ["helioy-tools:backend-engineer", "general"],
  tags: ["api"]
}

/** The Presets contract, run against every implementation. */
const presetsContract = (name: string, makeLayer: (seed?: Seed) => Layer.Layer<Presets>) =>
  describe(`Presets contract: ${name}`, () => {
    it.effect("no presets are listed before any is saved", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        expect(yield* presets.list).toEqual({ presets: [], broken: [] })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a saved preset is read back and listed as saved, at presets/<name>.json", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        const path = yield* presets.save(team)
        expect(path.endsWith(join("presets", "api-team.json"))).toBe(true)
        expect(yield* presets.get("api-team")).toEqual(team)
        expect(yield* presets.list).toEqual({ presets: [team], broken: [] })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("description and tags default to empty", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        yield* presets.save({ name: "solo", agents: ["general"] })
        expect(yield* presets.get("solo")).toEqual({ name: "solo", description: "", agents: ["general"], tags: [] })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("saving a preset again under the same name replaces it", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        const first = yield* presets.save(team)
        const second = yield* presets.save({ ...team, agents: ["pr-review-toolkit:code-reviewer"], tags: [] })
        expect(second).toBe(first)
        const replaced = { ...team, agents: ["pr-review-toolkit:code-reviewer"], tags: [] }
        expect(yield* presets.get("api-team")).toEqual(replaced)
        expect(yield* presets.list).toEqual({ presets: [replaced], broken: [] })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("presets are listed in file-name order", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        for (const name of ["zeta", "Alpha", "mid-1"]) yield* presets.save({ name, agents: ["general"] })
        expect((yield* presets.list).presets.map((preset) => preset.name)).toEqual(["Alpha", "mid-1", "zeta"])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a name that breaks the rule is refused with the rule in the message, and nothing is written", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        for (const name of ["", "-lead", "has space", "../escape", "dots.json", "x".repeat(51)]) {
          const refused = yield* Effect.flip(presets.save({ name, agents: ["general"] }))
          expect(refused._tag).toBe("InvalidPreset")
          expect(refused.message).toBe(presetNameRule)
        }
        expect(yield* presets.save({ name: "x".repeat(50), agents: ["general"] })).toContain("x".repeat(50))
        expect((yield* presets.list).presets.map((preset) => preset.name)).toEqual(["x".repeat(50)])
      }).pipe(Effect.provide(makeLayer())))

    it.effect("a preset without agents, or with a blank agent, is refused", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        const empty = yield* Effect.flip(presets.save({ name: "empty", agents: [] }))
        expect(empty).toMatchObject({ _tag: "InvalidPreset", name: "empty" })
        expect(empty.message).toBe(presetAgentsRule)
        const blank = yield* Effect.flip(presets.save({ name: "blank", agents: ["general", " "] }))
        expect(blank._tag).toBe("InvalidPreset")
        expect(yield* presets.list).toEqual({ presets: [], broken: [] })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("get of a missing preset fails with PresetNotFound naming the saved ones", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        yield* presets.save(team)
        const missing = yield* Effect.flip(presets.get("nobody"))
        expect(missing).toMatchObject({ _tag: "PresetNotFound", name: "nobody", known: ["api-team"] })
        expect(missing.message).toContain("api-team")
      }).pipe(Effect.provide(makeLayer())))

    it.effect("get of an invalid name is refused before any lookup", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        const refused = yield* Effect.flip(presets.get("../registry"))
        expect(refused).toMatchObject({ _tag: "InvalidPreset", reason: presetNameRule })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("corrupt preset files are reported as broken, next to the good ones, and get refuses them", () =>
      Effect.gen(function*() {
        const presets = yield* Presets
        const listing = yield* presets.list
        expect(listing.presets).toEqual([
          { name: "good", description: "", agents: ["general"], tags: [] },
          { name: "stem-named", description: "d", agents: ["a:b"], tags: ["t"] }
        ])
        const reasons = Object.fromEntries(listing.broken.map((entry) => [entry.file.split("/").pop(), entry.reason]))
        expect(Object.keys(reasons)).toEqual([
          "bad-name.json",
          "list.json",
          "mismatch.json",
          "no-agents.json",
          "truncated.json"
        ])
        expect(reasons["truncated.json"]).toMatch(/^not valid JSON/)
        expect(reasons["list.json"]).toBe("not a JSON object")
        expect(reasons["no-agents.json"]).toBe(presetAgentsRule)
        expect(reasons["bad-name.json"]).toBe(presetNameRule)
        expect(reasons["mismatch.json"]).toContain("does not match the file name mismatch.json")
        for (const entry of listing.broken) expect(entry.file).toContain(join("presets", ""))
        const refused = yield* Effect.flip(presets.get("truncated"))
        expect(refused._tag).toBe("InvalidPreset")
        expect(refused.message).toContain("not valid JSON")
        expect(Either.isLeft(yield* Effect.either(presets.get("no-agents")))).toBe(true)
        yield* presets.save({ name: "truncated", agents: ["general"] })
        expect(yield* presets.get("truncated")).toEqual({
          name: "truncated",
          description: "",
          agents: ["general"],
          tags: []
        })
      }).pipe(Effect.provide(makeLayer({
        "good.json": JSON.stringify({ name: "good", agents: ["general"] }),
        "stem-named.json": JSON.stringify({ description: "d", agents: ["a:b"], tags: ["t"] }),
        "truncated.json": "{\"name\": \"truncated\", \"agents\": [",
        "list.json": "[\"general\"]",
        "no-agents.json": JSON.stringify({ name: "no-agents", agents: [] }),
        "bad-name.json": JSON.stringify({ name: "-bad", agents: ["general"] }),
        "mismatch.json": JSON.stringify({ name: "other", agents: ["general"] }),
        "notes.txt": "not a preset"
      }))))
  })

presetsContract("live (files under the bus dir)", presetsLive)
presetsContract("in memory", presetsTest)

describe("Presets live files", () => {
  it.scoped("a preset file is written with mode 0600 as indented JSON and leaves no temp file", () =>
    Effect.gen(function*() {
      const root = yield* seededBusDir({})
      const presets = yield* Effect.provide(PresetsLive.make, BusDirTest.layerTest(root))
      const path = yield* presets.save(team)
      expect(path).toBe(join(root, "presets", "api-team.json"))
      expect(fs.statSync(path).mode & 0o777).toBe(0o600)
      expect(JSON.parse(fs.readFileSync(path, "utf8"))).toEqual(team)
      expect(fs.readFileSync(path, "utf8")).toContain("\n  \"agents\": [\n")
      yield* presets.save({ ...team, description: "again" })
      expect(fs.readdirSync(join(root, "presets"))).toEqual(["api-team.json"])
    }))

  it.scoped("a preset file written by the reference (no trailing newline) is read", () =>
    Effect.gen(function*() {
      const root = yield* seededBusDir({
        "review.json": JSON.stringify(
          { name: "review", description: "", agents: ["pr-review-toolkit:code-reviewer"], tags: [] },
          null,
          2
        )
      })
      const presets = yield* Effect.provide(PresetsLive.make, BusDirTest.layerTest(root))
      expect((yield* presets.get("review")).agents).toEqual(["pr-review-toolkit:code-reviewer"])
    }))

  it.scoped("a symlink in presets/ is reported as broken, not followed", () =>
    Effect.gen(function*() {
      const root = yield* seededBusDir({ "real.json": JSON.stringify({ name: "real", agents: ["general"] }) })
      const outside = join(root, "outside.json")
      fs.writeFileSync(outside, JSON.stringify({ name: "linked", agents: ["general"] }))
      fs.symlinkSync(outside, join(root, "presets", "linked.json"))
      const presets = yield* Effect.provide(PresetsLive.make, BusDirTest.layerTest(root))
      const listing = yield* presets.list
      expect(listing.presets.map((preset) => preset.name)).toEqual(["real"])
      expect(listing.broken).toEqual([{
        file: join(root, "presets", "linked.json"),
        reason: "a symlink, not a preset"
      }])
    }))

  it.scoped("a presets directory that cannot be created fails the save with PresetsUnavailable", () =>
    Effect.gen(function*() {
      const root = yield* seededBusDir({})
      fs.writeFileSync(join(root, "presets"), "a file where the directory should be")
      const presets = yield* Effect.provide(PresetsLive.make, BusDirTest.layerTest(root))
      const failed = yield* Effect.flip(presets.save(team))
      expect(failed._tag).toBe("PresetsUnavailable")
      expect((yield* Effect.flip(presets.list))._tag).toBe("PresetsUnavailable")
    }))
})
