import { Effect, Either, Option, Schema } from "effect"
import { CodexHooksJson, readCodexConfig } from "../../install/CodexFiles.js"
import type { ConfigLocations } from "../../install/configFiles.js"
import { codexEnvVars, codexHooks } from "../../install/HookWiring.js"
import { busServerName } from "../../install/McpServerEntry.js"
import { findHooks, hooksCheck, serverCheck } from "./busWiring.js"
import { type Check, fail, ok, type RuntimeReport, warn } from "./Check.js"
import { readJsonConfig, readTextConfig } from "./configRead.js"

const fix = "run helioy-bus install codex"

const EnvVars = Schema.Struct({ env_vars: Schema.Array(Schema.Unknown) })
const forwardedOf = (server: unknown) => Schema.is(EnvVars)(server) ? server.env_vars : []

/** `[features] hooks` on; `codex_hooks` (its deprecated name) or nothing set is a warning, off a failure. */
const featuresCheck = (features: { readonly hooks?: unknown; readonly codex_hooks?: unknown }, where: string): Check =>
  features.hooks === false || (features.hooks === undefined && features.codex_hooks === false)
    ? fail("codex hooks feature", `hooks are turned off in [features] of ${where}`, `set hooks = true; ${fix}`)
    : features.codex_hooks !== undefined
    ? warn(
      "codex hooks feature",
      "[features] codex_hooks is deprecated (Codex prints a warning at every start)",
      `use hooks = true instead; ${fix}`
    )
    : features.hooks === true
    ? ok("codex hooks feature", `on in ${where}`)
    : warn(
      "codex hooks feature",
      "[features] hooks is not set",
      `set hooks = true so Codex runs the bus's hooks; ${fix}`
    )

/**
 * Codex: the `helioy-bus` plugin (`codex plugin add`), or the MCP server in `config.toml` (forwarding the variables the
 * bus needs), `[features] hooks`, and the hooks in `hooks.json` that `helioy-bus install codex` writes (not both).
 * Never fails: an unreadable file is a failed check.
 */
export const codexCheck = (locations: ConfigLocations) =>
  Effect.gen(function*() {
    const parsed = yield* readTextConfig(locations.codexConfig, "codex", readCodexConfig)
    if (Either.isLeft(parsed)) return { wired: true, checks: [parsed.left] } satisfies RuntimeReport
    const hooksFile = yield* readJsonConfig(locations.codexHooks, "codex hooks", CodexHooksJson)
    const config = parsed.right
    const server = config.mcp_servers?.[busServerName]
    const found = findHooks(Either.isRight(hooksFile) ? hooksFile.right.hooks : undefined, codexHooks)
    const anyHook = found.some((hook) => Option.isSome(hook.command))
    const installed = config.plugins ?? {}
    const plugins = Object.keys(installed).filter((id) =>
      id.startsWith(`${busServerName}@`) && installed[id]?.enabled === true
    )
    if (plugins.length > 0) {
      const both = server !== undefined || anyHook
        ? [warn(
          "codex plugin",
          "the plugin and `helioy-bus install codex` are both set up, so every hook runs twice",
          `remove the plugin (codex plugin remove ${
            plugins[0]
          }), or run helioy-bus uninstall codex (it removes ${busServerName} from ${locations.codexConfig} and its hooks from ${locations.codexHooks})`
        )]
        : []
      return {
        wired: true,
        checks: [ok("codex plugin", `${plugins.join(", ")} enabled in ${locations.codexConfig}`), ...both]
      } satisfies RuntimeReport
    }
    if (server === undefined && !anyHook && Either.isRight(hooksFile)) {
      return {
        wired: false,
        checks: [warn("codex", "Codex is not wired to the bus", `${fix} (or add the helioy-bus plugin)`)]
      } satisfies RuntimeReport
    }
    const serverLine = server === undefined
      ? fail("codex mcp server", `no [mcp_servers.${busServerName}] in ${locations.codexConfig}`, fix)
      : yield* serverCheck("codex mcp server", locations.codexConfig, server, fix)
    const unforwarded = codexEnvVars.filter((name) => !forwardedOf(server).includes(name))
    return {
      wired: true,
      checks: [
        serverLine.status === "ok" && unforwarded.length > 0
          ? fail(
            "codex mcp server",
            `env_vars of ${busServerName} lacks ${
              unforwarded.join(", ")
            }, so the bus cannot tell which agent it serves`,
            fix
          )
          : serverLine,
        featuresCheck(config.features ?? {}, locations.codexConfig),
        Either.isLeft(hooksFile) ? hooksFile.left : yield* hooksCheck("codex hooks", locations.codexHooks, found, fix)
      ]
    } satisfies RuntimeReport
  })
