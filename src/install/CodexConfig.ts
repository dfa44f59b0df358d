import { Either } from "effect"
import { parse } from "smol-toml"
import { busServerName } from "./ClaudeConfig.js"
import { mergeBusHooks } from "./HookMerge.js"
import { codexEnvVars, codexHooks, hookGroups } from "./HookWiring.js"
import { hookCommandLine, type Installation, serveArgs } from "./Installation.js"
import { isJsonObject, jsonEqual, type JsonObject } from "./Json.js"
import { hasTableHeader, setTableKeys, type TomlAssignment, tomlValue } from "./TomlTables.js"

const serverPath = ["mcp_servers", busServerName] as const

/** Parses a TOML document; fails with the parser's message. */
export const parseToml = (text: string): Either.Either<JsonObject, string> =>
  Either.try({
    try: () => parse(text) as JsonObject,
    catch: (error) => `not valid TOML: ${(error as Error).message.split("\n")[0]}`
  })

/** The `env_vars` the bus server needs, followed by any others the user already forwards; never fails. */
const envVarsWith = (current: unknown): ReadonlyArray<string> => {
  const existing = Array.isArray(current) ? current.filter((name): name is string => typeof name === "string") : []
  if (Array.isArray(current) && existing.length === current.length && codexEnvVars.every((name) => existing.includes(name))) {
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

const tableAt = (document: JsonObject, path: ReadonlyArray<string>): JsonObject | undefined => {
  let table: unknown = document
  for (const part of path) table = isJsonObject(table) ? table[part] : undefined
  return isJsonObject(table) ? table : undefined
}

/** The document without the keys the install owns (and without tables that held nothing else), for comparison. */
const withoutOwnedKeys = (document: JsonObject): JsonObject => {
  const copy = structuredClone(document)
  const servers = copy.mcp_servers
  if (isJsonObject(servers) && isJsonObject(servers[busServerName])) {
    const server = servers[busServerName]
    for (const key of ["command", "args", "env_vars"]) delete server[key]
    if (Object.keys(server).length === 0) delete servers[busServerName]
    if (Object.keys(servers).length === 0) delete copy.mcp_servers
  }
  if (isJsonObject(copy.features)) {
    delete copy.features.hooks
    delete copy.features.codex_hooks
    if (Object.keys(copy.features).length === 0) delete copy.features
  }
  return copy
}

const handEdit = (table: string) =>
  `[${table}] is written inline or with dotted keys, which this installer does not rewrite; ` +
  "set it by hand as in codex/config.toml of helioy-bus"

/** The assignments of one table that differ from the document, or a reason the table cannot be edited as text. */
const assignmentsFor = (
  text: string,
  document: JsonObject,
  path: ReadonlyArray<string>,
  wanted: Record<string, string | boolean | ReadonlyArray<string>>
): Either.Either<ReadonlyArray<TomlAssignment>, string> => {
  const current = tableAt(document, path)
  const changes = Object.entries(wanted)
    .filter(([key, value]) => !jsonEqual(current?.[key], value))
    .map(([key, value]) => ({ key, value: tomlValue(value) }))
  if (changes.length > 0 && current !== undefined && !hasTableHeader(text, path)) return Either.left(handEdit(path.join(".")))
  return Either.right(changes)
}

/**
 * `~/.codex/config.toml` with `[mcp_servers.helioy-bus]` (command, args, env_vars) and `[features] hooks = true`
 * set (a deprecated `codex_hooks` key is rewritten as `hooks`); every other line of the file is kept byte for byte. Fails with a reason when the file is not valid TOML, when
 * a table it must change is written inline, or when the edit would not leave the user's settings exactly as they were.
 */
export const withCodexConfig = (text: string, installation: Installation): Either.Either<string, string> =>
  Either.gen(function*() {
    const before = yield* parseToml(text)
    const server = codexMcpServer(installation, tableAt(before, serverPath)?.env_vars)
    const serverChanges = yield* assignmentsFor(text, before, serverPath, server)
    const withServer = setTableKeys(text, serverPath, serverChanges)
    const featureChanges = yield* assignmentsFor(withServer, before, ["features"], { hooks: true })
    const hasFormerKey = tableAt(before, ["features"])?.codex_hooks !== undefined
    if (hasFormerKey && !hasTableHeader(withServer, ["features"])) return yield* Either.left(handEdit("features"))
    const result = setTableKeys(withServer, ["features"], [
      ...featureChanges.map((change) => ({ ...change, replaces: "codex_hooks" })),
      ...(featureChanges.length === 0 && hasFormerKey ? [{ key: "hooks", value: "true", replaces: "codex_hooks" }] : [])
    ])
    if (result === text) return text
    const after = yield* Either.mapLeft(parseToml(result), (reason) => `the edited file would be ${reason}; ${handEdit("mcp_servers")}`)
    const written = tableAt(after, serverPath)
    const ours = jsonEqual(written?.command, server.command) && jsonEqual(written?.args, server.args) &&
      jsonEqual(written?.env_vars, server.env_vars) && tableAt(after, ["features"])?.hooks === true &&
      tableAt(after, ["features"])?.codex_hooks === undefined
    if (!ours || !jsonEqual(withoutOwnedKeys(before), withoutOwnedKeys(after))) {
      return yield* Either.left(`the file is laid out in a way this installer cannot edit safely; ${handEdit("mcp_servers.helioy-bus")}`)
    }
    return result
  })

/** The bus's hook groups for Codex, by event, running this installation. */
export const codexHookGroups = (installation: Installation) =>
  hookGroups(codexHooks, (hook) => hookCommandLine(installation, hook))

/**
 * `~/.codex/hooks.json` with the bus's hooks merged into `hooks` (every other event and handler kept, no duplicate
 * of ours). Fails with a reason when the file or its `hooks` is not of the documented shape.
 */
export const withCodexHooks = (hooksFile: unknown, installation: Installation): Either.Either<JsonObject, string> => {
  if (!isJsonObject(hooksFile)) return Either.left("the file does not hold a JSON object")
  return Either.map(mergeBusHooks(hooksFile.hooks, codexHookGroups(installation)), (hooks) => ({ ...hooksFile, hooks }))
}
