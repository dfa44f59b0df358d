import { Effect } from "effect"
import { withClaudeHooks, withClaudeMcpServer } from "./ClaudeConfig.js"
import { withCodexConfig } from "./CodexConfig.js"
import { withCodexHooks } from "./CodexHooks.js"
import type { ConfigLocations } from "./configFiles.js"
import { applyPlan, jsonEdit, planFile } from "./configPlan.js"
import { withGeminiSettings } from "./GeminiConfig.js"
import type { Installation } from "./Installation.js"

/** The runtimes `helioy-bus install` and `uninstall` wire up and unwire. */
export type InstallRuntime = "claude" | "codex" | "gemini"

/**
 * What installing a runtime would write: Claude Code's user MCP server (`~/.claude.json`) and hooks
 * (`~/.claude/settings.json`), Codex's `config.toml` and `hooks.json`, or Gemini CLI's `settings.json` (MCP server and
 * hooks), each merged into what is there. Reads only.
 * Fails with ConfigFileError when a file cannot be read or is not of a shape it can merge into.
 */
export const planInstall = (runtime: InstallRuntime, locations: ConfigLocations, installation: Installation) =>
  runtime === "claude"
    ? Effect.all([
      planFile(locations.claudeJson, jsonEdit("install", (value) => withClaudeMcpServer(value, installation))),
      planFile(locations.claudeSettings, jsonEdit("install", (value) => withClaudeHooks(value, installation)))
    ])
    : runtime === "gemini"
    ? Effect.all([
      planFile(locations.geminiSettings, jsonEdit("install", (value) => withGeminiSettings(value, installation)))
    ])
    : Effect.all([
      planFile(locations.codexConfig, (text) => withCodexConfig(text, installation)),
      planFile(locations.codexHooks, jsonEdit("install", (value) => withCodexHooks(value, installation)))
    ])

/**
 * Writes each changed file of an install plan: backs the old file up to `<file>.bak-<time>` first, then replaces it
 * atomically with its mode kept; unchanged files are not touched. Fails with ConfigFileError (files written before
 * the failure stay written, each with its backup).
 */
export const applyInstall = applyPlan
