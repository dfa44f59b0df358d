/** Claude Code's user configuration files, as far as the bus reads them; every other key is kept as it is. */
import { Schema } from "effect"
import { HookEvents } from "./HookSettings.js"
import { JsonObject } from "./Json.js"

const notAnObject = (key: string) => JsonObject.annotations({ message: () => `"${key}" is not an object` })

/** `~/.claude.json`: the user-scope MCP servers (`mcpServers`, by name), beside Claude Code's own state. */
export const ClaudeJson = Schema.Struct({
  mcpServers: Schema.optionalWith(notAnObject("mcpServers"), { exact: true })
}, JsonObject).annotations({ message: () => "the file does not hold a JSON object" })

/** `~/.claude.json` as read. */
export type ClaudeJson = typeof ClaudeJson.Type

/** `~/.claude/settings.json`: the hooks, by event, and the plugins turned on (`enabledPlugins`, id to `true`). */
export const ClaudeSettings = Schema.Struct({
  hooks: Schema.optionalWith(HookEvents, { exact: true }),
  enabledPlugins: Schema.optionalWith(notAnObject("enabledPlugins"), { exact: true })
}, JsonObject).annotations({ message: () => "the file does not hold a JSON object" })

/** `~/.claude/settings.json` as read. */
export type ClaudeSettings = typeof ClaudeSettings.Type
