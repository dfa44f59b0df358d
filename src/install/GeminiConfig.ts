/** Gemini CLI's user settings (`~/.gemini/settings.json`): the bus's MCP server and hooks merged in and taken out. */
import { Either, Schema } from "effect"
import { withBusHooksIn, withoutBusHooksIn } from "./HookMerge.js"
import { HookEvents } from "./HookSettings.js"
import { geminiHooks, type HookGroup, hookGroups } from "./HookWiring.js"
import { hookCommandLine, type Installation, serveArgs } from "./Installation.js"
import { fileDecoder, JsonObject, withoutKeys } from "./Json.js"
import { busServerName, isInstalledBusServer, ProgramServer } from "./McpServerEntry.js"

const notAnObject = (key: string) => JsonObject.annotations({ message: () => `"${key}" is not an object` })

/** `~/.gemini/settings.json`: the MCP servers (`mcpServers`, by name) and the hooks, beside every other setting. */
export const GeminiSettings = Schema.Struct({
  mcpServers: Schema.optionalWith(notAnObject("mcpServers"), { exact: true }),
  hooks: Schema.optionalWith(HookEvents, { exact: true })
}, JsonObject).annotations({ message: () => "the file does not hold a JSON object" })

/** `~/.gemini/settings.json` as read. */
export type GeminiSettings = typeof GeminiSettings.Type

const decodeSettings = fileDecoder(GeminiSettings)
const isProgramServer = Schema.is(ProgramServer)

/** The keys of an earlier bus server entry that are the user's choices (environment, trust, timeout), kept. */
const userKeys = ["env", "trust", "timeout", "includeTools", "excludeTools"] as const

/** The MCP server entry (`mcpServers["helioy-bus"]`) that starts this installation's bus server. */
export const geminiMcpServer = (installation: Installation): JsonObject => ({
  command: installation.node,
  args: [...serveArgs(installation)]
})

/** The bus's hook groups for Gemini CLI, by event, running this installation (Gemini's timeouts are milliseconds). */
export const geminiHookGroups = (installation: Installation): Record<string, ReadonlyArray<HookGroup>> =>
  Object.fromEntries(
    Object.entries(hookGroups(geminiHooks, (hook) => hookCommandLine(installation, hook))).map(([event, groups]) => [
      event,
      groups.map((group) => ({
        ...group,
        hooks: group.hooks.map((handler) => ({ ...handler, timeout: handler.timeout * 1000 }))
      }))
    ])
  )

/**
 * `settings.json` with the `helioy-bus` server in `mcpServers` (the user's env, trust, timeout and tool filters of an
 * earlier entry kept) and the bus's hooks merged into `hooks`; every other setting, server and hook is untouched.
 * Fails with a reason when the file, `mcpServers` or `hooks` is not of the documented shape.
 */
export const withGeminiSettings = (settings: unknown, installation: Installation): Either.Either<JsonObject, string> =>
  Either.flatMap(decodeSettings(settings), (file) => {
    const servers = file.mcpServers ?? {}
    const previous = servers[busServerName]
    const kept = isProgramServer(previous)
      ? Object.fromEntries(userKeys.flatMap((key) => key in previous ? [[key, previous[key]]] : []))
      : {}
    const withServer = {
      ...file,
      mcpServers: { ...servers, [busServerName]: { ...geminiMcpServer(installation), ...kept } }
    }
    return withBusHooksIn(withServer, geminiHookGroups(installation))
  })

/**
 * `settings.json` without what an install added: the `helioy-bus` server it wrote (and `mcpServers` when that left
 * it empty) and the bus's hooks (and `hooks` when that left it empty); a `helioy-bus` entry that runs something else,
 * and every other setting, stay. Fails with a reason when the file, `mcpServers` or `hooks` is not of the documented
 * shape.
 */
export const withoutGeminiSettings = (settings: unknown): Either.Either<JsonObject, string> =>
  Either.map(decodeSettings(settings), (file) => withoutBusHooksIn(withoutBusServer(file)))

const withoutBusServer = (file: GeminiSettings): JsonObject => {
  if (file.mcpServers === undefined || !isInstalledBusServer(file.mcpServers[busServerName])) return file
  const servers = withoutKeys(file.mcpServers, [busServerName])
  return servers === undefined ? withoutKeys(file, ["mcpServers"]) ?? {} : { ...file, mcpServers: servers }
}
