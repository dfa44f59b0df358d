import { Schema } from "effect"
import { basename } from "node:path"
import { JsonObject } from "./Json.js"

/** The name of the bus MCP server in every runtime's configuration. */
export const busServerName = "helioy-bus"

/** An MCP server entry that starts a program: `command` and its `args` (`env`, `env_vars` and other keys kept). */
export const ProgramServer = Schema.Struct({
  command: Schema.String,
  args: Schema.optionalWith(Schema.Array(Schema.Unknown), { exact: true })
}, JsonObject)

/** A server entry as read. */
export type ProgramServer = typeof ProgramServer.Type

/** An entry with the environment the user gave the server (`env`), which an install keeps. */
export const ServerWithEnv = Schema.Struct({ env: JsonObject }, JsonObject)

const isProgramServer = Schema.is(ProgramServer)

/**
 * Whether a server entry is one `helioy-bus install` wrote, from this installation or another: it runs
 * `<node> <somewhere>/helioy-bus.js serve`. Never fails.
 */
export const isInstalledBusServer = (entry: unknown): boolean => {
  if (!isProgramServer(entry)) return false
  const args = entry.args ?? []
  const bin = args[args.length - 2]
  return args.length === 2 && args[1] === "serve" && typeof bin === "string" && basename(bin) === "helioy-bus.js"
}
