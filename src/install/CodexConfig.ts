import { Either } from "effect"
import { type CodexConfigToml, readCodexConfig } from "./CodexFiles.js"
import { codexEnvVars } from "./HookWiring.js"
import { type Installation, serveArgs } from "./Installation.js"
import { jsonEqual, type JsonObject, withoutKeys } from "./Json.js"
import { busServerName } from "./McpServerEntry.js"
import { hasTableHeader, setTableKeys, type TomlAssignment, tomlValue } from "./TomlTables.js"

const serverPath = ["mcp_servers", busServerName] as const

/**
 * The comment an install writes under the `hooks = true` it added to `[features]`: how an uninstall knows to remove it.
 */
export const addedHooksNote =
  "hooks = true above: added by helioy-bus install codex (helioy-bus uninstall codex removes it)"

/** The comment an install writes under `hooks = true` in a `[features]` table it added: an uninstall removes both. */
export const addedFeaturesNote =
  "[features] and hooks = true above: added by helioy-bus install codex (helioy-bus uninstall codex removes them)"

/** The `env_vars` the bus server needs, followed by any others the user already forwards; never fails. */
const envVarsWith = (current: unknown): ReadonlyArray<string> => {
  const existing = Array.isArray(current) ? current.filter((name): name is string => typeof name === "string") : []
  if (
    Array.isArray(current) && existing.length === current.length &&
    codexEnvVars.every((name) => existing.includes(name))
  ) {
    return existing
  }
  return [...codexEnvVars, ...existing.filter((name) => !codexEnvVars.includes(name))]
}

/** The keys of `[mcp_servers.helioy-bus]` that start this installation's bus server. */
export const codexMcpServer = (installation: Installation, currentEnvVars?: unknown) => ({
  command: installation.node,
  args: serveArgs(installation),
  env_vars: envVarsWith(currentEnvVars)
})

/** The document without the keys the install owns (and without tables that held nothing else), for comparison. */
const withoutOwnedKeys = (config: CodexConfigToml): JsonObject => {
  const { [busServerName]: server, ...servers } = config.mcp_servers ?? {}
  const serverRest = server === undefined ? undefined : withoutKeys(server, ["command", "args", "env_vars"])
  const allServers = serverRest === undefined ? servers : { ...servers, [busServerName]: serverRest }
  const features = config.features === undefined ? undefined : withoutKeys(config.features, ["hooks", "codex_hooks"])
  return {
    ...withoutKeys(config, ["mcp_servers", "features"]),
    ...(Object.keys(allServers).length === 0 ? {} : { mcp_servers: allServers }),
    ...(features === undefined ? {} : { features })
  }
}

const handEdit = (table: string) =>
  `[${table}] is written inline or with dotted keys, which this installer does not rewrite; ` +
  "set it by hand as in codex/config.toml of helioy-bus"

/** The assignments of one table that differ from the document, or a reason the table cannot be edited as text. */
const assignmentsFor = (
  text: string,
  current: JsonObject | undefined,
  path: ReadonlyArray<string>,
  wanted: Record<string, string | boolean | ReadonlyArray<string>>
): Either.Either<ReadonlyArray<TomlAssignment>, string> => {
  const changes = Object.entries(wanted)
    .filter(([key, value]) => !jsonEqual(current?.[key], value))
    .map(([key, value]) => ({ key, value: tomlValue(value) }))
  if (changes.length > 0 && current !== undefined && !hasTableHeader(text, path)) {
    return Either.left(handEdit(path.join(".")))
  }
  return Either.right(changes)
}

/**
 * `~/.codex/config.toml` with `[mcp_servers.helioy-bus]` (command, args, env_vars) and `[features] hooks = true`
 * set (a deprecated `codex_hooks` key is rewritten as `hooks`; a `hooks` key added is followed by a note saying so);
 * every other line of the file is kept byte for byte. Fails with a reason when the file is not valid TOML, when
 * a table it must change is written inline, or when the edit would not leave the user's settings exactly as they were.
 */
export const withCodexConfig = (text: string, installation: Installation): Either.Either<string, string> =>
  Either.gen(function*() {
    const before = yield* readCodexConfig(text)
    const server = codexMcpServer(installation, before.mcp_servers?.[busServerName]?.env_vars)
    const serverChanges = yield* assignmentsFor(text, before.mcp_servers?.[busServerName], serverPath, server)
    const withServer = setTableKeys(text, serverPath, serverChanges)
    const featureChanges = yield* assignmentsFor(withServer, before.features, ["features"], { hooks: true })
    const hasFormerKey = before.features?.codex_hooks !== undefined
    if (hasFormerKey && !hasTableHeader(withServer, ["features"])) return yield* Either.left(handEdit("features"))
    const note = before.features === undefined
      ? addedFeaturesNote
      : before.features.hooks === undefined && !hasFormerKey
      ? addedHooksNote
      : undefined
    const result = setTableKeys(withServer, ["features"], [
      ...featureChanges.map((change) => ({
        ...change,
        replaces: "codex_hooks",
        ...(note === undefined ? {} : { note })
      })),
      ...(featureChanges.length === 0 && hasFormerKey ? [{ key: "hooks", value: "true", replaces: "codex_hooks" }] : [])
    ])
    if (result === text) return text
    const after = yield* Either.mapLeft(
      readCodexConfig(result),
      (reason) => `the edited file would be ${reason}; ${handEdit("mcp_servers")}`
    )
    const written = after.mcp_servers?.[busServerName]
    const ours = jsonEqual(written?.command, server.command) && jsonEqual(written?.args, server.args) &&
      jsonEqual(written?.env_vars, server.env_vars) && after.features?.hooks === true &&
      after.features?.codex_hooks === undefined
    if (!ours || !jsonEqual(withoutOwnedKeys(before), withoutOwnedKeys(after))) {
      return yield* Either.left(
        `the file is laid out in a way this installer cannot edit safely; ${handEdit("mcp_servers.helioy-bus")}`
      )
    }
    return result
  })
