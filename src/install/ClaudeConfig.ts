import { Either } from "effect"
import { mergeBusHooks } from "./HookMerge.js"
import { claudeHooks, hookGroups } from "./HookWiring.js"
import { hookCommandLine, type Installation, serveArgs } from "./Installation.js"
import { isJsonObject, type JsonObject } from "./Json.js"

/** The name of the bus MCP server in every runtime's configuration. */
export const busServerName = "helioy-bus"

/** The user-scope MCP server entry (`~/.claude.json` `mcpServers`) that starts this installation's bus server. */
export const claudeMcpServer = (installation: Installation): JsonObject => ({
  type: "stdio",
  command: installation.node,
  args: [...serveArgs(installation)]
})

/**
 * `~/.claude.json` with the `helioy-bus` server in its top-level `mcpServers` (an `env` the user gave it is kept;
 * every other key and server is untouched). Fails with a reason when the file or `mcpServers` is not an object.
 */
export const withClaudeMcpServer = (config: unknown, installation: Installation): Either.Either<JsonObject, string> => {
  if (!isJsonObject(config)) return Either.left("the file does not hold a JSON object")
  const servers = config.mcpServers ?? {}
  if (!isJsonObject(servers)) return Either.left("\"mcpServers\" is not an object")
  const previous = servers[busServerName]
  const env = isJsonObject(previous) && isJsonObject(previous.env) ? { env: previous.env } : {}
  return Either.right({ ...config, mcpServers: { ...servers, [busServerName]: { ...claudeMcpServer(installation), ...env } } })
}

/** The bus's hook groups for Claude Code, by event, running this installation. */
export const claudeHookGroups = (installation: Installation) =>
  hookGroups(claudeHooks, (hook) => hookCommandLine(installation, hook))

/**
 * `~/.claude/settings.json` with the bus's hooks merged into `hooks` (every other key, event and handler kept, no
 * duplicate of ours). Fails with a reason when the file or its `hooks` is not of the documented shape.
 */
export const withClaudeHooks = (settings: unknown, installation: Installation): Either.Either<JsonObject, string> => {
  if (!isJsonObject(settings)) return Either.left("the file does not hold a JSON object")
  return Either.map(mergeBusHooks(settings.hooks, claudeHookGroups(installation)), (hooks) => ({ ...settings, hooks }))
}
