/**
 * `helioy-bus install claude|codex` through the built binary, against a fake HOME holding the user's own configuration.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { parse } from "smol-toml"
import { afterEach, describe, expect, it } from "vitest"
import { busHookOf, claudeHooks, codexEnvVars, codexHooks, type HookSpec } from "../../src/install/HookWiring.js"
import {
  backupsOf,
  readJson,
  runCli,
  snapshot,
  userClaudeJson,
  userClaudeSettings,
  userCodexConfig,
  userCodexHooks,
  userHome,
  userHook
} from "../support/fakeHome.js"
import { busBin, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const bin = fs.realpathSync(busBin)

type Groups = Record<string, Array<{ readonly matcher?: string; readonly hooks: Array<Record<string, unknown>> }>>

/** The handlers of a hooks object that run `helioy-bus hook`, as `<event> <hook>`. */
const busHandlers = (hooks: unknown) =>
  Object.entries(hooks as Groups).flatMap(([event, groups]) =>
    groups.flatMap((group) =>
      group.hooks
        .filter((handler) => busHookOf(String(handler.command)) !== undefined)
        .map((handler) => ({ event, hook: busHookOf(String(handler.command)), handler }))
    )
  )

const expectHooksInstalled = (hooks: unknown, specs: ReadonlyArray<HookSpec>) => {
  const found = busHandlers(hooks)
  expect(found.map(({ event, hook }) => `${event} ${hook}`).sort()).toEqual(
    specs.map((spec) => `${spec.event} ${spec.hook}`).sort()
  )
  for (const { handler } of found) {
    expect(handler.command).toBe(`${process.execPath} ${bin} hook ${busHookOf(String(handler.command))}`)
  }
}

describe("helioy-bus install claude", () => {
  it("adds the MCP server and hooks with absolute paths, keeps the user's settings, and backs up each file", () => {
    const home = userHome()
    const run = runCli(home.home, ["install", "claude"])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`updated ${home.claudeJson} (backup: ${home.claudeJson}.bak-`)

    const config = readJson(home.claudeJson)
    expect(config).toMatchObject({
      numStartups: 42,
      oauthAccount: userClaudeJson.oauthAccount,
      projects: userClaudeJson.projects
    })
    expect(config.mcpServers).toEqual({
      github: userClaudeJson.mcpServers.github,
      "helioy-bus": { type: "stdio", command: process.execPath, args: [bin, "serve"] }
    })

    const settings = readJson(home.claudeSettings)
    expect(settings).toMatchObject({ model: "opus", permissions: userClaudeSettings.permissions })
    const hooks = settings.hooks as Groups
    expect(hooks.Stop![0]).toEqual({ hooks: [userHook] })
    expect(hooks.PreToolUse![0]).toEqual({ matcher: "Bash", hooks: [userHook] })
    expectHooksInstalled(hooks, claudeHooks)
    for (const event of ["SessionStart", "Stop"]) {
      expect(busHandlers({ [event]: hooks[event] }).find(({ hook }) => hook === "wait-mail")?.handler).toMatchObject({
        async: true,
        asyncRewake: true
      })
    }

    for (
      const [path, original] of [[home.claudeJson, userClaudeJson], [home.claudeSettings, userClaudeSettings]] as const
    ) {
      const backups = backupsOf(path)
      expect(backups).toHaveLength(1)
      expect(readJson(backups[0]!)).toEqual(original)
      expect(fs.statSync(backups[0]!).mode & 0o777).toBe(0o600)
      expect(fs.statSync(path).mode & 0o777).toBe(0o600)
    }
  })

  it("a second run changes nothing and makes no backup", () => {
    const home = userHome()
    expect(runCli(home.home, ["install", "claude"]).status).toBe(0)
    const before = snapshot(home.home)
    const again = runCli(home.home, ["install", "claude"])
    expect(again.status).toBe(0)
    expect(again.stdout).toContain(`unchanged ${home.claudeJson}`)
    expect(again.stdout).toContain(`unchanged ${home.claudeSettings}`)
    expect(snapshot(home.home)).toEqual(before)
  })

  it("--dry-run prints the change and writes nothing", () => {
    const home = userHome()
    const before = snapshot(home.home)
    const run = runCli(home.home, ["install", "claude", "--dry-run"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`would update ${home.claudeJson}`)
    expect(run.stdout).toContain(`would update ${home.claudeSettings}`)
    expect(run.stdout).toMatch(new RegExp(`^\\+ +"command": "${process.execPath} ${bin} hook stop",$`, "m"))
    expect(snapshot(home.home)).toEqual(before)
  })

  it("replaces an earlier installation's entries instead of duplicating them", () => {
    const home = userHome()
    const moved = {
      ...userClaudeSettings,
      hooks: {
        ...userClaudeSettings.hooks,
        Stop: [
          { hooks: [userHook] },
          { hooks: [{ type: "command", command: "node /old/place/bin/helioy-bus.js hook stop", timeout: 10 }] }
        ]
      }
    }
    fs.writeFileSync(home.claudeSettings, JSON.stringify(moved))
    expect(runCli(home.home, ["install", "claude"]).status).toBe(0)
    const hooks = readJson(home.claudeSettings).hooks
    expect(JSON.stringify(hooks)).not.toContain("/old/place")
    expectHooksInstalled(hooks, claudeHooks)
  })

  it("writes through a symlinked settings file, keeping the link", () => {
    const home = userHome()
    const real = join(home.home, "dotfiles", "claude-settings.json")
    fs.mkdirSync(join(home.home, "dotfiles"))
    fs.renameSync(home.claudeSettings, real)
    fs.symlinkSync(real, home.claudeSettings)
    expect(runCli(home.home, ["install", "claude"]).status).toBe(0)
    expect(fs.lstatSync(home.claudeSettings).isSymbolicLink()).toBe(true)
    expectHooksInstalled(readJson(real).hooks, claudeHooks)
    expect(backupsOf(real)).toHaveLength(1)
  })

  it("leaves a settings file that is not JSON alone and says what to do", () => {
    const home = userHome()
    fs.writeFileSync(home.claudeSettings, "{ \"model\": \"opus\", }")
    const before = snapshot(home.home)
    const run = runCli(home.home, ["install", "claude"])
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`${home.claudeSettings}: not valid JSON`)
    expect(run.stderr).toContain("fix it or move it aside")
    expect(snapshot(home.home)).toEqual(before)
  })

  it("creates the files in an empty HOME", () => {
    const home = userHome()
    fs.rmSync(join(home.home, ".claude"), { recursive: true })
    fs.rmSync(home.claudeJson)
    const run = runCli(home.home, ["install", "claude"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`created ${home.claudeSettings}`)
    expectHooksInstalled(readJson(home.claudeSettings).hooks, claudeHooks)
    expect(backupsOf(home.claudeSettings)).toEqual([])
  })
})

describe("helioy-bus install codex", () => {
  it("adds the server, env_vars, the hooks feature and hooks, keeping config.toml's other lines byte for byte", () => {
    const home = userHome()
    const run = runCli(home.home, ["install", "codex"])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)

    const text = fs.readFileSync(home.codexConfig, "utf8")
    expect(text.startsWith(userCodexConfig.replace("web_search = true\n", "web_search = true\nhooks = true\n"))).toBe(
      true
    )
    const config = parse(text) as {
      mcp_servers: Record<string, unknown>
      features: Record<string, unknown>
      model: string
    }
    expect(config.mcp_servers["helioy-bus"]).toEqual({
      command: process.execPath,
      args: [bin, "serve"],
      env_vars: [...codexEnvVars]
    })
    expect(config.mcp_servers.github).toEqual({ command: "npx", args: ["-y", "@github/mcp"] })
    expect(config.features).toEqual({ web_search: true, hooks: true })

    const hooks = readJson(home.codexHooks).hooks as Groups
    expect(hooks.Stop![0]).toEqual(userCodexHooks.hooks.Stop[0])
    expectHooksInstalled(hooks, codexHooks)

    expect(fs.readFileSync(backupsOf(home.codexConfig)[0]!, "utf8")).toBe(userCodexConfig)
    expect(readJson(backupsOf(home.codexHooks)[0]!)).toEqual(userCodexHooks)
  })

  it("a second run changes nothing and makes no backup", () => {
    const home = userHome()
    expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
    const before = snapshot(home.home)
    expect(runCli(home.home, ["install", "codex"]).stdout).toContain(`unchanged ${home.codexConfig}`)
    expect(snapshot(home.home)).toEqual(before)
  })

  it("--dry-run prints the change and writes nothing", () => {
    const home = userHome()
    const before = snapshot(home.home)
    const run = runCli(home.home, ["install", "--dry-run", "codex"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`would update ${home.codexConfig}`)
    expect(run.stdout).toContain("+ hooks = true")
    expect(run.stdout).toContain(`+ command = ${JSON.stringify(process.execPath)}`)
    expect(snapshot(home.home)).toEqual(before)
  })

  it("follows CODEX_HOME", () => {
    const home = userHome()
    const codexHome = join(home.home, "elsewhere")
    expect(runCli(home.home, ["install", "codex"], { CODEX_HOME: codexHome }).status).toBe(0)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toBe(userCodexConfig)
    expect(fs.readFileSync(join(codexHome, "config.toml"), "utf8")).toContain("[mcp_servers.helioy-bus]")
  })
})
