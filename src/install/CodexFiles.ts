/** Codex's user configuration files, as far as the bus reads them; every other key and line is kept as it is. */
import { Either, Schema } from "effect"
import { parse } from "smol-toml"
import { HooksFile } from "./HookSettings.js"
import { fileDecoder, JsonObject } from "./Json.js"

const notATable = (table: string) => JsonObject.annotations({ message: () => `[${table}] is not a table` })

/** The `[features]` table: `hooks` turns Codex's hooks on (`codex_hooks` is its deprecated name). */
export const CodexFeatures = Schema.Struct({
  hooks: Schema.optionalWith(Schema.Unknown, { exact: true }),
  codex_hooks: Schema.optionalWith(Schema.Unknown, { exact: true })
}, JsonObject).annotations({ message: () => "[features] is not a table" })

/** One `[plugins."<plugin>@<marketplace>"]` table, as `codex plugin add` writes it (`enabled = true`). */
export const CodexPluginEntry = Schema.Struct({
  enabled: Schema.optionalWith(Schema.Unknown, { exact: true })
}, JsonObject).annotations({ message: () => "[plugins.<id>] is not a table" })

/**
 * `config.toml`: the MCP servers (`[mcp_servers.<name>]`), `[features]` and the installed plugins (`[plugins.<id>]`),
 * beside the rest of Codex's settings.
 */
export const CodexConfigToml = Schema.Struct({
  mcp_servers: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: notATable("mcp_servers.<name>") })
      .annotations({ message: () => "[mcp_servers] is not a table" }),
    { exact: true }
  ),
  features: Schema.optionalWith(CodexFeatures, { exact: true }),
  plugins: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: CodexPluginEntry }).annotations({
      message: () => "[plugins] is not a table"
    }),
    { exact: true }
  )
}, JsonObject)

/** `config.toml` as read. */
export type CodexConfigToml = typeof CodexConfigToml.Type

/** `hooks.json`: the hooks, by event. */
export const CodexHooksJson = HooksFile

const decodeConfig = fileDecoder(CodexConfigToml)

/** Parses and decodes a `config.toml`; fails with the parser's or the schema's message. */
export const readCodexConfig = (text: string): Either.Either<CodexConfigToml, string> =>
  Either.flatMap(
    Either.try({
      try: () => parse(text) as unknown,
      catch: (error) => `not valid TOML: ${(error as Error).message.split("\n")[0]}`
    }),
    decodeConfig
  )
