/**
 * The hook settings Claude Code (`~/.claude/settings.json`) and Codex (`hooks.json`) share: `hooks`, by event, a list
 * of matcher groups, each a list of handlers. Only what the bus reads is described; every other key is kept.
 */
import { Schema } from "effect"
import { JsonObject } from "./Json.js"

/** A handler that runs a command (`{ type: "command", command, timeout, async?, asyncRewake? }`). */
export const CommandHandler = Schema.Struct({
  command: Schema.String,
  asyncRewake: Schema.optionalWith(Schema.Unknown, { exact: true })
}, JsonObject)

/** A matcher group: the handlers one event runs (`matcher` and other keys kept). */
export const MatcherGroup = Schema.Struct({ hooks: Schema.Array(Schema.Unknown) }, JsonObject)

/** The `hooks` object: event name to its matcher groups (the list of an event is checked where it is read). */
export const HookEvents = JsonObject.annotations({ message: () => "\"hooks\" is not an object" })

/** The matcher groups of one event. */
export const EventGroups = (event: string) =>
  Schema.Array(Schema.Unknown).annotations({ message: () => `"hooks.${event}" is not a list` })

/** A file that holds hook settings under `hooks`, such as Codex's `hooks.json`. */
export const HooksFile = Schema.Struct({
  hooks: Schema.optionalWith(HookEvents, { exact: true })
}, JsonObject).annotations({ message: () => "the file does not hold a JSON object" })

/** A hooks file as read. */
export type HooksFile = typeof HooksFile.Type
