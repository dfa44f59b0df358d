import { Context, type Effect, Schema } from "effect"
import type { Preset, PresetInput } from "../domain/Preset.js"

/** No preset of that name is saved. */
export class PresetNotFound extends Schema.TaggedError<PresetNotFound>()("PresetNotFound", {
  name: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  override get message() {
    const known = this.known.length === 0
      ? "No presets are saved; save one with warroom_save_preset."
      : `Saved presets: ${this.known.join(", ")}.`
    return `No preset '${this.name}'. ${known}`
  }
}

/** A preset that breaks the rules: refused on save, or a saved file that cannot be used (`reason` says why). */
export class InvalidPreset extends Schema.TaggedError<InvalidPreset>()("InvalidPreset", {
  name: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** The presets directory could not be read or written (permissions, disk full, read-only file system). */
export class PresetsUnavailable extends Schema.TaggedError<PresetsUnavailable>()("PresetsUnavailable", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `presets unavailable at ${this.path}: ${this.reason}`
  }
}

/** A preset file that `list` could not use, and why. */
export interface BrokenPreset {
  readonly file: string
  readonly reason: string
}

/** Every saved preset in file-name order, and every file that is not a usable preset. */
export interface PresetListing {
  readonly presets: ReadonlyArray<Preset>
  readonly broken: ReadonlyArray<BrokenPreset>
}

/** Warroom presets: named teams of agent types, stored as `presets/<name>.json`. */
export interface PresetsShape {
  /** Reads and validates every `*.json` preset, reporting unusable files in `broken` (a missing directory lists nothing); fails with PresetsUnavailable when the directory cannot be read. */
  readonly list: Effect.Effect<PresetListing, PresetsUnavailable>
  /** One preset by name; fails with InvalidPreset (bad name, unusable file), PresetNotFound, or PresetsUnavailable. */
  readonly get: (name: string) => Effect.Effect<Preset, InvalidPreset | PresetNotFound | PresetsUnavailable>
  /** Validates and writes a preset (atomically, mode 0600), replacing one of the same name; succeeds with its path, fails with InvalidPreset or PresetsUnavailable. */
  readonly save: (preset: PresetInput) => Effect.Effect<string, InvalidPreset | PresetsUnavailable>
}

/** The warroom presets. */
export class Presets extends Context.Tag("helioy/Presets")<Presets, PresetsShape>() {}
