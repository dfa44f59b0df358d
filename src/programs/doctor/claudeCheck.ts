import { Effect, Either, Option } from "effect"
import { ClaudeJson, ClaudeSettings } from "../../install/ClaudeFiles.js"
import type { ConfigLocations } from "../../install/configFiles.js"
import { claudeHooks } from "../../install/HookWiring.js"
import { busServerName } from "../../install/McpServerEntry.js"
import { findHooks, hooksCheck, serverCheck } from "./busWiring.js"
import { fail, ok, type RuntimeReport, warn } from "./Check.js"
import { readJsonConfig } from "./configRead.js"

const fix = "run helioy-bus install claude"

/**
 * Claude Code: the `helioy-bus` plugin, or the MCP server in `~/.claude.json` and the hooks in `settings.json` that
 * `helioy-bus install claude` writes (not both). Never fails: an unreadable file is a failed check.
 */
export const claudeCheck = (locations: ConfigLocations) =>
  Effect.gen(function*() {
    const config = yield* readJsonConfig(locations.claudeJson, "claude", ClaudeJson)
    const settings = yield* readJsonConfig(locations.claudeSettings, "claude", ClaudeSettings)
    if (Either.isLeft(config) || Either.isLeft(settings)) {
      return {
        wired: true,
        checks: [config, settings].flatMap((read) => Either.isLeft(read) ? [read.left] : [])
      } satisfies RuntimeReport
    }
    const server = config.right.mcpServers?.[busServerName]
    const enabled = settings.right.enabledPlugins ?? {}
    const plugins = Object.keys(enabled).filter((id) => id.startsWith(`${busServerName}@`) && enabled[id] === true)
    const found = findHooks(settings.right.hooks, claudeHooks)
    const anyHook = found.some((hook) => Option.isSome(hook.command))
    if (server === undefined && plugins.length === 0 && !anyHook) {
      return {
        wired: false,
        checks: [warn("claude", "Claude Code is not wired to the bus", `${fix} (or install the helioy-bus plugin)`)]
      } satisfies RuntimeReport
    }
    if (plugins.length > 0) {
      const both = server !== undefined || anyHook
        ? [warn(
          "claude plugin",
          "the plugin and `helioy-bus install claude` are both set up, so every hook runs twice",
          `uninstall the plugin, or run helioy-bus uninstall claude (it removes ${busServerName} from ${locations.claudeJson} and its hooks from ${locations.claudeSettings})`
        )]
        : []
      return {
        wired: true,
        checks: [ok("claude plugin", `${plugins.join(", ")} enabled in ${locations.claudeSettings}`), ...both]
      } satisfies RuntimeReport
    }
    return {
      wired: true,
      checks: [
        server === undefined
          ? fail("claude mcp server", `no ${busServerName} server in ${locations.claudeJson}`, fix)
          : yield* serverCheck("claude mcp server", locations.claudeJson, server, fix),
        yield* hooksCheck("claude hooks", locations.claudeSettings, found, fix)
      ]
    } satisfies RuntimeReport
  })
