/**
 * The Claude Code and Codex plugins and the Codex snippets shipped in the repository name the right events and
 * commands.
 */
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "smol-toml"
import { describe, expect, it } from "vitest"
import { claudeHooks, codexEnvVars, codexHooks, hookGroups } from "../src/install/HookWiring.js"

const repoFile = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const json = (path: string) => JSON.parse(fs.readFileSync(repoFile(path), "utf8")) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const packageJson = json("package.json")

/** A hook in exec form (no shell): node runs the plugin's launcher, which bootstraps the bus when it is missing. */
const launcherHook = (hook: string) => ({
  command: "node",
  args: ["${CLAUDE_PLUGIN_ROOT}/plugin/launch.js", "hook", hook]
})

describe("the Claude Code plugin", () => {
  it("hooks/hooks.json runs `plugin/launch.js hook <event>` in exec form from the plugin root at every Claude Code event", () => {
    const hooks = json("hooks/hooks.json").hooks
    const expected = Object.fromEntries(
      Object.entries(hookGroups(claudeHooks, (hook) => hook)).map(([event, groups]) => [
        event,
        groups.map((group) => ({
          ...group,
          hooks: group.hooks.map((handler) => ({ ...handler, ...launcherHook(handler.command) }))
        }))
      ])
    )
    expect(hooks).toEqual(expected)
    expect(Object.keys(hooks)).toEqual(["SessionStart", "SessionEnd", "UserPromptSubmit", "PreToolUse", "Stop"])
    for (const event of ["SessionStart", "Stop"]) {
      expect(hooks[event][0].hooks).toContainEqual(expect.objectContaining({ async: true, asyncRewake: true }))
    }
  })

  it(".mcp.json starts `plugin/launch.js serve` from the plugin root", () => {
    expect(json(".mcp.json")).toEqual({
      mcpServers: { "helioy-bus": { command: "node", args: ["${CLAUDE_PLUGIN_ROOT}/plugin/launch.js", "serve"] } }
    })
  })

  it("the plugin's version lives in one place, its marketplace entry (the package's version), which is its whole manifest", () => {
    expect(fs.existsSync(repoFile(".claude-plugin/plugin.json"))).toBe(false)
    const marketplace = json(".claude-plugin/marketplace.json")
    expect(marketplace.plugins).toEqual([
      expect.objectContaining({ name: "helioy-bus", source: "./", version: packageJson.version, strict: false })
    ])
  })
})

describe("the Codex plugin", () => {
  it(".codex-plugin/plugin.json names the Codex hooks file and MCP file, at the package's version", () => {
    expect(json(".codex-plugin/plugin.json")).toEqual({
      name: "helioy-bus",
      version: packageJson.version,
      description: json(".claude-plugin/marketplace.json").plugins[0].description,
      hooks: "./hooks/codex-hooks.json",
      mcpServers: "./.codex-mcp.json"
    })
    // Codex reads nothing else in .codex-plugin/.
    expect(fs.readdirSync(repoFile(".codex-plugin"))).toEqual(["plugin.json"])
  })

  it("hooks/codex-hooks.json runs `plugin/launch.js hook <event>` through the shell at the events `install codex` wires", () => {
    expect(json("hooks/codex-hooks.json").hooks).toEqual(
      hookGroups(codexHooks, (hook) => `node "\${PLUGIN_ROOT}/plugin/launch.js" hook ${hook}`)
    )
  })

  it(".codex-mcp.json starts `plugin/launch.js serve` in the plugin root, forwarding the variables `install codex` forwards", () => {
    expect(json(".codex-mcp.json")).toEqual({
      mcpServers: {
        "helioy-bus": { command: "node", args: ["plugin/launch.js", "serve"], cwd: ".", env_vars: [...codexEnvVars] }
      }
    })
  })
})

describe("the Codex snippets", () => {
  it("codex/hooks.json runs `helioy-bus hook <event>` at SessionStart, SessionEnd, UserPromptSubmit and Stop", () => {
    expect(json("codex/hooks.json").hooks).toEqual(hookGroups(codexHooks, (hook) => `helioy-bus hook ${hook}`))
  })

  it("codex/config.toml forwards the variables the bus needs and turns hooks on", () => {
    const config = parse(fs.readFileSync(repoFile("codex/config.toml"), "utf8"))
    expect(config).toEqual({
      mcp_servers: { "helioy-bus": { command: "helioy-bus", args: ["serve"], env_vars: [...codexEnvVars] } },
      features: { hooks: true }
    })
  })
})
