/** The errors of reading and writing the runtimes' configuration files. */
import { Schema } from "effect"

/** A configuration file that cannot be read, understood or written; the reason says what to do. */
export class ConfigFileError extends Schema.TaggedError<ConfigFileError>()("ConfigFileError", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.path}: ${this.reason}`
  }
}
