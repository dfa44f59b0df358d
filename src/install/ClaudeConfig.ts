import { Either, Schema } from "effect"
import { ClaudeJson, ClaudeSettings } from "./ClaudeFiles.js"
import { withBusHooksIn, withoutBusHooksIn } from "./HookMerge.js"
import { claudeHooks, hookGroups } from "./HookWiring.js"
import { hookCommandLine, type Installation, serveArgs } from "./Installation.js"
import { fileDecoder, type JsonObject, withoutKeys } from "./Json.js"
import { busServerName, isInstalledBusServer, ServerWithEnv } from "./McpServerEntry.js"

const decodeClaudeJson = fileDecoder(ClaudeJson)
const decodeSettings = fileDecoder(ClaudeSettings)
const hasEnv = Schema.is(ServerWithEnv)

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
export const withClaudeMcpServer = (config: unknown, installation: Installation): Either.Either<JsonObject, string> =>
  Either.map(decodeClaudeJson(config), (file) => {
    const servers = file.mcpServers ?? {}
    const previous = servers[busServerName]
    const env = hasEnv(previous) ? { env: previous.env } : {}
    return { ...file, mcpServers: { ...servers, [busServerName]: { ...claudeMcpServer(installation), ...env } } }
  })

/**
 * `~/.claude.json` without the `helioy-bus` server an install wrote (and without `mcpServers` when that left it
 * empty); a `helioy-bus` entry that runs something else, and every other key, stay. Fails with a reason when the
 * file or `mcpServers` is not an object.
 */
export const withoutClaudeMcpServer = (config: unknown): Either.Either<JsonObject, string> =>
  Either.map(decodeClaudeJson(config), (file) => {
    if (file.mcpServers === undefined || !isInstalledBusServer(file.mcpServers[busServerName])) return file
    const servers = withoutKeys(file.mcpServers, [busServerName])
    return servers === undefined ? withoutKeys(file, ["mcpServers"]) ?? {} : { ...file, mcpServers: servers }
  })

/** The bus's hook groups for Claude Code, by event, running this installation. */
export const claudeHookGroups = (installation: Installation) =>
  hookGroups(claudeHooks, (hook) => hookCommandLine(installation, hook))

/**
 * `~/.claude/settings.json` with the bus's hooks merged into `hooks` (every other key, event and handler kept, no
 * duplicate of ours). Fails with a reason when the file or its `hooks` is not of the documented shape.
 */
export const withClaudeHooks = (settings: unknown, installation: Installation): Either.Either<JsonObject, string> =>
  Either.flatMap(decodeSettings(settings), (file) => withBusHooksIn(file, claudeHookGroups(installation)))

/**
 * `~/.claude/settings.json` without the bus's hooks (every other key, event and handler kept). Fails with a reason
 * when the file or its `hooks` is not of the documented shape.
 */
export const withoutClaudeHooks = (settings: unknown): Either.Either<JsonObject, string> =>
  Either.map(decodeSettings(settings), withoutBusHooksIn)
