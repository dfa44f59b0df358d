import { Context, type Effect } from "effect"
import type { Preset, PresetInput } from "../domain/Preset.js"
import type { InvalidPreset, PresetNotFound, PresetsUnavailable } from "../errors/presets.js"

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
  /**
   * Reads and validates every `*.json` preset, reporting unusable files in `broken` (a missing directory lists
   * nothing); fails with PresetsUnavailable when the directory cannot be read.
   */
  readonly list: Effect.Effect<PresetListing, PresetsUnavailable>
  /** One preset by name; fails with InvalidPreset (bad name, unusable file), PresetNotFound, or PresetsUnavailable. */
  readonly get: (name: string) => Effect.Effect<Preset, InvalidPreset | PresetNotFound | PresetsUnavailable>
  /**
   * Validates and writes a preset (atomically, mode 0600), replacing one of the same name; succeeds with its path,
   * fails with InvalidPreset or PresetsUnavailable.
   */
  readonly save: (preset: PresetInput) => Effect.Effect<string, InvalidPreset | PresetsUnavailable>
}

/** The warroom presets. */
export class Presets extends Context.Tag("helioy/Presets")<Presets, PresetsShape>() {}
