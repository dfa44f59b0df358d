import { Either } from "effect"
import { addedFeaturesNote, addedHooksNote } from "./CodexConfig.js"
import { type CodexConfigToml, readCodexConfig } from "./CodexFiles.js"
import { jsonEqual, type JsonObject, withoutKeys } from "./Json.js"
import { busServerName, isInstalledBusServer } from "./McpServerEntry.js"
import { hasNotedKey, removeNotedKey, removeTables } from "./TomlRemoval.js"
import { hasTableHeader } from "./TomlTables.js"

const serverPath = ["mcp_servers", busServerName] as const

const byHand =
  "remove [mcp_servers.helioy-bus] and the hooks = true that helioy-bus install added to [features] by hand"

/** The document as the uninstall should leave it: without our server, and without `features.hooks` when it goes. */
const expected = (config: CodexConfigToml, server: boolean, hooks: boolean): JsonObject => {
  const servers = server && config.mcp_servers !== undefined
    ? withoutKeys(config.mcp_servers, [busServerName])
    : config.mcp_servers
  const features = hooks && config.features !== undefined ? withoutKeys(config.features, ["hooks"]) : config.features
  return {
    ...withoutKeys(config, ["mcp_servers", "features"]),
    ...(servers === undefined ? {} : { mcp_servers: servers }),
    ...(features === undefined ? {} : { features })
  }
}

/** The same document with empty `mcp_servers` and `features` tables left out, for comparison. */
const withoutEmptyTables = (config: JsonObject): JsonObject =>
  Object.fromEntries(
    Object.entries(config).filter(([key, value]) =>
      !((key === "mcp_servers" || key === "features") && jsonEqual(value, {}))
    )
  )

/**
 * `~/.codex/config.toml` without what `helioy-bus install codex` added: the `[mcp_servers.helioy-bus]` table (with its
 * sub-tables) when it runs a `helioy-bus.js serve`, and `[features] hooks = true` only where the install's note follows
 * it (with the `[features]` table, when the note says the install added that too and nothing else is in it). Every
 * other line is kept byte for byte; a file with none of these is returned as it is. Fails with a reason when the file
 * is not valid TOML, or is laid out in a way that cannot be edited safely (an inline or dotted-key server entry).
 */
export const withoutCodexConfig = (text: string): Either.Either<string, string> =>
  Either.gen(function*() {
    const before = yield* readCodexConfig(text)
    const server = isInstalledBusServer(before.mcp_servers?.[busServerName])
    const hooks = before.features?.hooks === true
    const tableNoted = hooks && hasNotedKey(text, ["features"], "hooks", addedFeaturesNote)
    const keyNoted = hooks && hasNotedKey(text, ["features"], "hooks", addedHooksNote)
    if (!server && !tableNoted && !keyNoted) return text
    if (server && !hasTableHeader(text, serverPath)) {
      return yield* Either.left(`[mcp_servers.helioy-bus] is written inline or with dotted keys; ${byHand}`)
    }
    const withoutServer = server ? removeTables(text, serverPath) : text
    const note = tableNoted ? addedFeaturesNote : addedHooksNote
    const result = tableNoted || keyNoted
      ? removeNotedKey(withoutServer, ["features"], "hooks", note, tableNoted)
      : withoutServer
    const after = yield* Either.mapLeft(readCodexConfig(result), (reason) =>
      `the edited file would be ${reason}; ${byHand}`)
    if (!jsonEqual(withoutEmptyTables(expected(before, server, tableNoted || keyNoted)), withoutEmptyTables(after))) {
      return yield* Either.left(`the file is laid out in a way this uninstaller cannot edit safely; ${byHand}`)
    }
    return result
  })
