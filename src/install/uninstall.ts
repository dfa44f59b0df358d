import { Effect } from "effect"
import { withoutClaudeHooks, withoutClaudeMcpServer } from "./ClaudeConfig.js"
import { withoutCodexConfig } from "./CodexConfigRemoval.js"
import { withoutCodexHooks } from "./CodexHooks.js"
import type { ConfigLocations } from "./configFiles.js"
import { jsonEdit, planFile } from "./configPlan.js"
import { withoutGeminiSettings } from "./GeminiConfig.js"
import type { InstallRuntime } from "./install.js"

/**
 * What uninstalling a runtime would write: the files `planInstall` edits, without what an install added (the bus's
 * MCP server entry, the bus's hooks, and Codex's `[features] hooks` where the install's note says it added it);
 * missing files stay missing. Reads only. Fails with ConfigFileError when a file cannot be read or is not of a shape
 * it can edit.
 */
export const planUninstall = (runtime: InstallRuntime, locations: ConfigLocations) =>
  runtime === "claude"
    ? Effect.all([
      planFile(locations.claudeJson, jsonEdit("uninstall", withoutClaudeMcpServer)),
      planFile(locations.claudeSettings, jsonEdit("uninstall", withoutClaudeHooks))
    ])
    : runtime === "gemini"
    ? Effect.all([planFile(locations.geminiSettings, jsonEdit("uninstall", withoutGeminiSettings))])
    : Effect.all([
      planFile(locations.codexConfig, withoutCodexConfig),
      planFile(locations.codexHooks, jsonEdit("uninstall", withoutCodexHooks))
    ])
