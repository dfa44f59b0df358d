import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { replaceFileAtomically } from "../busFiles/atomicWrite.js"
import { readBusFile } from "../busFiles/boundedRead.js"
import { checkDirectory } from "../busFiles/directories.js"
import { codeField, errnoOf } from "../busFiles/fileErrors.js"
import {
  decodePresetFile,
  decodePresetInput,
  encodePreset,
  presetFileName,
  type PresetInput,
  presetNamePattern,
  presetNameRule
} from "../domain/Preset.js"
import { InvalidPreset, PresetNotFound, PresetsUnavailable } from "../errors/presets.js"
import { BusDir } from "../services/BusDir.js"
import { type BrokenPreset, Presets, type PresetsShape } from "../services/Presets.js"

/** A preset file larger than this is not a preset. */
const maxPresetBytes = 256 * 1024

const isPresetFile = (name: string) => name.endsWith(".json") && !name.startsWith(".")

/** The text of a preset file: missing, unusable (symlink, not a file, hard-linked, too large, unreadable), or read. */
type FileText =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Unusable"; readonly reason: string }
  | { readonly _tag: "Text"; readonly text: string }

const readPresetFile = (path: string): FileText => {
  const read = readBusFile(path, { maxBytes: maxPresetBytes })
  switch (read._tag) {
    case "Missing":
      return read
    case "Refused":
      return { _tag: "Unusable", reason: read.refusal === "symlink" ? "a symlink, not a preset" : read.reason }
    case "Text":
      return { _tag: "Text", text: read.text }
  }
}

/**
 * Builds the presets under the bus dir's `presets/`; reads report unusable files, a failed directory read or write
 * fails.
 */
export const make = Effect.gen(function*() {
  const { presetsDir, tree } = yield* BusDir
  const unavailable = (error: unknown) =>
    new PresetsUnavailable({
      path: presetsDir,
      reason: (error as Error).message ?? String(error),
      ...codeField(error),
      cause: error
    })

  const fileNames = Effect.try({
    try: () => {
      try {
        if (!checkDirectory(tree, presetsDir, false)) return []
        return fs.readdirSync(presetsDir).filter(isPresetFile).sort()
      } catch (error) {
        if (errnoOf(error) === "ENOENT") return []
        throw error
      }
    },
    catch: unavailable
  })

  /** A preset file, read only from a checked `presets/` directory (missing when there is none). */
  const readChecked = (path: string) =>
    Effect.map(
      Effect.try({ try: () => checkDirectory(tree, presetsDir, false), catch: unavailable }),
      (exists): FileText => exists ? readPresetFile(path) : { _tag: "Missing" }
    )

  const list = Effect.fn("Presets.list")(function*() {
    const presets = []
    const broken: Array<BrokenPreset> = []
    for (const fileName of yield* fileNames) {
      const path = join(presetsDir, fileName)
      const file = readPresetFile(path)
      if (file._tag === "Missing") continue
      const decoded = file._tag === "Text" ? decodePresetFile(fileName, file.text) : Either.left(file.reason)
      if (Either.isRight(decoded)) presets.push(decoded.right)
      else broken.push({ file: path, reason: decoded.left })
    }
    return { presets, broken }
  })

  const get = Effect.fn("Presets.get")(function*(name: string) {
    if (!presetNamePattern.test(name)) return yield* new InvalidPreset({ name, reason: presetNameRule })
    const path = join(presetsDir, presetFileName(name))
    const file = yield* readChecked(path)
    if (file._tag === "Missing") {
      const known = (yield* fileNames).map((fileName) => fileName.replace(/\.json$/, ""))
      return yield* new PresetNotFound({ name, known })
    }
    if (file._tag === "Unusable") return yield* new InvalidPreset({ name, reason: `${path} is ${file.reason}` })
    const decoded = decodePresetFile(presetFileName(name), file.text)
    if (Either.isLeft(decoded)) {
      return yield* new InvalidPreset({ name, reason: `${path} is unusable: ${decoded.left}` })
    }
    return decoded.right
  })

  const save = Effect.fn("Presets.save")(function*(input: PresetInput) {
    const decoded = decodePresetInput(input)
    if (Either.isLeft(decoded)) return yield* new InvalidPreset({ name: String(input.name), reason: decoded.left })
    const preset = decoded.right
    const path = join(presetsDir, presetFileName(preset.name))
    yield* Effect.tryPromise({
      try: async () => {
        checkDirectory(tree, presetsDir, true)
        await replaceFileAtomically(presetsDir, presetFileName(preset.name), encodePreset(preset))
      },
      catch: unavailable
    })
    return path
  })

  return { list: list(), get, save } satisfies PresetsShape
})

/** Presets as JSON files under the bus dir (needs BusDir). */
export const layer = Layer.effect(Presets, make)
