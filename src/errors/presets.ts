/** The errors of the warroom presets store. */
import { Schema } from "effect"

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
  reason: Schema.String,
  code: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {
  override get message() {
    return `presets unavailable at ${this.path}: ${this.reason}`
  }
}
