import { Effect, Either, Option, Schema } from "effect"
import type { ConfigLocations } from "../../install/configFiles.js"
import { GeminiSettings } from "../../install/GeminiConfig.js"
import { geminiHooks, isBusHookCommand } from "../../install/HookWiring.js"
import { busServerName } from "../../install/McpServerEntry.js"
import { findHooks, hooksCheck, serverCheck } from "./busWiring.js"
import { type Check, fail, ok, type RuntimeReport, warn } from "./Check.js"
import { readJsonConfig } from "./configRead.js"
import { folderTrust, TrustedFolders } from "./geminiTrust.js"

const fix = "run helioy-bus install gemini"

/** The settings that can turn the bus's hooks off or make folder trust moot. */
const Switches = Schema.Struct({
  hooksConfig: Schema.optional(Schema.Struct({
    enabled: Schema.optional(Schema.Unknown),
    disabled: Schema.optional(Schema.Array(Schema.Unknown))
  })),
  security: Schema.optional(Schema.Struct({
    folderTrust: Schema.optional(Schema.Struct({ enabled: Schema.optional(Schema.Unknown) }))
  }))
})
const switchesOf = (settings: unknown): typeof Switches.Type =>
  Option.getOrElse(Schema.decodeUnknownOption(Switches)(settings), () => ({}))

/** Hooks on (`hooksConfig.enabled` not false) and none of the bus's in `hooksConfig.disabled`. */
const hooksSwitchCheck = (settings: unknown, where: string): ReadonlyArray<Check> => {
  const hooksConfig = switchesOf(settings).hooksConfig ?? {}
  if (hooksConfig.enabled === false) {
    return [fail("gemini hooks", `hooksConfig.enabled is false in ${where}`, "set it to true (or remove it)")]
  }
  const disabled = (hooksConfig.disabled ?? []).filter((name) => typeof name === "string" && isBusHookCommand(name))
  return disabled.length > 0
    ? [fail("gemini hooks", `hooksConfig.disabled in ${where} turns off ${disabled.join(", ")}`, "remove them from it")]
    : []
}

/** Whether Gemini trusts `projectDir`, so that it starts the bus's MCP server there. Never fails. */
const trustCheck = (locations: ConfigLocations, settings: unknown, projectDir: string) =>
  Effect.gen(function*() {
    if (switchesOf(settings).security?.folderTrust?.enabled === false) {
      return ok("gemini folder trust", `folder trust is off in ${locations.geminiSettings}: every folder is trusted`)
    }
    const rules = yield* readJsonConfig(locations.geminiTrustedFolders, "gemini folder trust", TrustedFolders)
    if (Either.isLeft(rules)) return rules.left
    const trusted = folderTrust(rules.right, projectDir)
    const howTo =
      `trust it when Gemini CLI asks (or with /permissions), or add "${projectDir}": "TRUST_FOLDER" to ${locations.geminiTrustedFolders}`
    return trusted === true
      ? ok("gemini folder trust", `${projectDir} is trusted in ${locations.geminiTrustedFolders}`)
      : trusted === false
      ? fail(
        "gemini folder trust",
        `${projectDir} is marked DO_NOT_TRUST in ${locations.geminiTrustedFolders}, so Gemini CLI starts no MCP server here`,
        `change its rule to TRUST_FOLDER in ${locations.geminiTrustedFolders}`
      )
      : warn(
        "gemini folder trust",
        `${projectDir} is not a trusted folder, so Gemini CLI starts no MCP server in it (and asks before its first session)`,
        howTo
      )
  })

/**
 * Gemini CLI: the MCP server and the hooks `helioy-bus install gemini` writes into `settings.json`, hooks not turned
 * off, and the trust of `projectDir` (Gemini runs MCP servers only in trusted folders). Never fails: an unreadable
 * file is a failed check.
 */
export const geminiCheck = (locations: ConfigLocations, projectDir: string) =>
  Effect.gen(function*() {
    const settings = yield* readJsonConfig(locations.geminiSettings, "gemini", GeminiSettings)
    if (Either.isLeft(settings)) return { wired: true, checks: [settings.left] } satisfies RuntimeReport
    const server = settings.right.mcpServers?.[busServerName]
    const found = findHooks(settings.right.hooks, geminiHooks)
    if (server === undefined && !found.some((hook) => Option.isSome(hook.command))) {
      return {
        wired: false,
        checks: [warn("gemini", "Gemini CLI is not wired to the bus", fix)]
      } satisfies RuntimeReport
    }
    return {
      wired: true,
      checks: [
        server === undefined
          ? fail("gemini mcp server", `no ${busServerName} in mcpServers of ${locations.geminiSettings}`, fix)
          : yield* serverCheck("gemini mcp server", locations.geminiSettings, server, fix),
        yield* hooksCheck("gemini hooks", locations.geminiSettings, found, fix),
        ...hooksSwitchCheck(settings.right, locations.geminiSettings),
        yield* trustCheck(locations, settings.right, projectDir)
      ]
    } satisfies RuntimeReport
  })
