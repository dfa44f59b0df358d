import { Effect, Either, Layer, Ref } from "effect"
import { join } from "node:path"
import {
  decodePresetFile,
  decodePresetInput,
  encodePreset,
  type Preset,
  presetFileName,
  type PresetInput,
  presetNamePattern,
  presetNameRule
} from "../domain/Preset.js"
import { InvalidPreset, PresetNotFound } from "../errors/presets.js"
import { type BrokenPreset, Presets, type PresetsShape } from "../services/Presets.js"

/** Where the in-memory presets pretend to live, and files already there (file name -> text, corrupt ones included). */
export interface PresetsTestOptions {
  readonly presetsDir?: string
  readonly files?: Readonly<Record<string, string>>
}

/**
 * Builds in-memory presets holding file texts, decoded on every read exactly as the live files are; never fails on I/O.
 */
export const make = (options: PresetsTestOptions = {}) =>
  Effect.gen(function*() {
    const presetsDir = options.presetsDir ?? "/memory/presets"
    const files = yield* Ref.make<ReadonlyMap<string, string>>(new Map(Object.entries(options.files ?? {})))
    const fileNames = Effect.map(Ref.get(files), (map) =>
      [...map.keys()].filter((name) => name.endsWith(".json") && !name.startsWith(".")).sort())

    const list = Effect.fn("Presets.list")(function*() {
      const stored = yield* Ref.get(files)
      const presets: Array<Preset> = []
      const broken: Array<BrokenPreset> = []
      for (const fileName of yield* fileNames) {
        const decoded = decodePresetFile(fileName, stored.get(fileName) ?? "")
        if (Either.isRight(decoded)) {
          presets.push(decoded.right)
        } else broken.push({ file: join(presetsDir, fileName), reason: decoded.left })
      }
      return { presets, broken }
    })

    const get = Effect.fn("Presets.get")(function*(name: string) {
      if (!presetNamePattern.test(name)) {
        return yield* new InvalidPreset({ name, reason: presetNameRule })
      }
      const text = (yield* Ref.get(files)).get(presetFileName(name))
      if (text === undefined) {
        const known = (yield* fileNames).map((fileName) =>
          fileName.replace(/\.json$/, "")
        )
        return yield* new PresetNotFound({ name, known })
      }
      const decoded = decodePresetFile(presetFileName(name), text)
      if (Either.isLeft(decoded)) {
        return yield* new InvalidPreset({
          name,
          reason: `${join(presetsDir, presetFileName(name))} is unusable: ${decoded.left}`
        })
      }
      return decoded.right
    })

    const save = Effect.fn("Presets.save")(function*(input: PresetInput) {
      const decoded = decodePresetInput(input)
      if (Either.isLeft(decoded)) return yield* new InvalidPreset({ name: String(input.name), reason: decoded.left })
      const preset = decoded.right
      yield* Ref.update(files, (map) => new Map(map).set(presetFileName(preset.name), encodePreset(preset)))
      return join(presetsDir, presetFileName(preset.name))
    })

    return { list: list(), get, save } satisfies PresetsShape
  })

/** In-memory presets, optionally seeded with file texts. */
export const layerTest = (options: PresetsTestOptions = {}) => Layer.effect(Presets, make(options))
