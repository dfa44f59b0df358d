import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import { join } from "node:path"
import { Effect, Either, Layer } from "effect"
import {
  decodePresetFile,
  decodePresetInput,
  encodePreset,
  type PresetInput,
  presetFileName,
  presetNamePattern,
  presetNameRule
} from "../domain/Preset.js"
import { BusDir } from "../services/BusDir.js"
import {
  type BrokenPreset,
  InvalidPreset,
  PresetNotFound,
  Presets,
  PresetsUnavailable,
  type PresetsShape
} from "../services/Presets.js"

/** A preset file larger than this is not a preset. */
const maxPresetBytes = 256 * 1024

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

const isPresetFile = (name: string) => name.endsWith(".json") && !name.startsWith(".")

/** The text of a preset file: missing, unusable (symlink, not a file, too large, unreadable), or read. */
type FileText =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Unusable"; readonly reason: string }
  | { readonly _tag: "Text"; readonly text: string }

const readPresetFile = (path: string): FileText => {
  let fd: number
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK)
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { _tag: "Missing" }
    return { _tag: "Unusable", reason: errorCode(error) === "ELOOP" ? "a symlink, not a preset" : `unreadable (${errorCode(error) ?? String(error)})` }
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return { _tag: "Unusable", reason: "not a regular file" }
    if (stat.size > maxPresetBytes) return { _tag: "Unusable", reason: `${stat.size} bytes, larger than any preset` }
    return { _tag: "Text", text: fs.readFileSync(fd, "utf8") }
  } catch (error) {
    return { _tag: "Unusable", reason: `unreadable (${errorCode(error) ?? String(error)})` }
  } finally {
    fs.closeSync(fd)
  }
}

/** Writes `text` to `path` through a temp file in the same directory: mode 0600, fsynced, renamed over, directory fsynced. */
const writeAtomically = (dir: string, path: string, text: string) => {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const temp = join(dir, `.${randomBytes(8).toString("hex")}.preset.tmp`)
  try {
    const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600)
    try {
      fs.writeFileSync(fd, text)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, path)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw error
  }
  const dirFd = fs.openSync(dir, fs.constants.O_RDONLY)
  try {
    fs.fsyncSync(dirFd)
  } finally {
    fs.closeSync(dirFd)
  }
}

/** Builds the presets under the bus dir's `presets/`; reads report unusable files, a failed directory read or write fails. */
export const make = Effect.gen(function*() {
  const { presetsDir } = yield* BusDir
  const unavailable = (error: unknown) =>
    new PresetsUnavailable({ path: presetsDir, reason: (error as Error).message ?? String(error) })

  const fileNames = Effect.try({
    try: () => {
      try {
        return fs.readdirSync(presetsDir).filter(isPresetFile).sort()
      } catch (error) {
        if (errorCode(error) === "ENOENT") return []
        throw error
      }
    },
    catch: unavailable
  })

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
    const file = readPresetFile(path)
    if (file._tag === "Missing") {
      const known = (yield* fileNames).map((fileName) => fileName.replace(/\.json$/, ""))
      return yield* new PresetNotFound({ name, known })
    }
    if (file._tag === "Unusable") return yield* new InvalidPreset({ name, reason: `${path} is ${file.reason}` })
    const decoded = decodePresetFile(presetFileName(name), file.text)
    if (Either.isLeft(decoded)) return yield* new InvalidPreset({ name, reason: `${path} is unusable: ${decoded.left}` })
    return decoded.right
  })

  const save = Effect.fn("Presets.save")(function*(input: PresetInput) {
    const decoded = decodePresetInput(input)
    if (Either.isLeft(decoded)) return yield* new InvalidPreset({ name: String(input.name), reason: decoded.left })
    const preset = decoded.right
    const path = join(presetsDir, presetFileName(preset.name))
    yield* Effect.try({ try: () => writeAtomically(presetsDir, path, encodePreset(preset)), catch: unavailable })
    return path
  })

  return { list: list(), get, save } satisfies PresetsShape
})

/** Presets as JSON files under the bus dir (needs BusDir). */
export const layer = Layer.effect(Presets, make)
