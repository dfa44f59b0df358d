/**
 * `helioy-bus install gemini` / `uninstall gemini` through the built binary, against a fake HOME holding the user's
 * own Gemini CLI settings (the round trip byte for byte is in uninstall.test.ts, with the other runtimes).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { busHookOf, geminiHooks } from "../../src/install/HookWiring.js"
import {
  backupsOf,
  emptyHome,
  readJson,
  runCli,
  snapshot,
  userGeminiSettings,
  userHome,
  userHook
} from "../support/fakeHome.js"
import { busBin, makeTempDir, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const bin = fs.realpathSync(busBin)

type Handler = Record<string, unknown>
type Groups = Record<string, Array<{ readonly matcher?: string; readonly hooks: Array<Handler> }>>

const busHandlers = (hooks: Groups) =>
  Object.entries(hooks).flatMap(([event, groups]) =>
    groups.flatMap((group) =>
      group.hooks.filter((handler) => busHookOf(String(handler.command)) !== undefined).map((handler) => ({
        event,
        handler
      }))
    )
  )

describe("helioy-bus install gemini", () => {
  it("adds the MCP server and the four hooks (timeouts in ms) to settings.json, keeps every other setting, backs it up", () => {
    const home = userHome()
    const run = runCli(home.home, ["install", "gemini"])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`updated ${home.geminiSettings} (backup: ${home.geminiSettings}.bak-`)
    expect(run.stdout).toContain("trusted folders")

    const settings = readJson(home.geminiSettings)
    expect(settings).toMatchObject({
      security: userGeminiSettings.security,
      ui: userGeminiSettings.ui,
      general: userGeminiSettings.general,
      hooksConfig: userGeminiSettings.hooksConfig
    })
    expect(settings.mcpServers).toEqual({
      github: userGeminiSettings.mcpServers.github,
      "helioy-bus": { command: process.execPath, args: [bin, "serve"] }
    })
    const hooks = settings.hooks as Groups
    expect(hooks.BeforeAgent![0]).toEqual(userGeminiSettings.hooks.BeforeAgent[0])
    expect(hooks.AfterTool).toEqual(userGeminiSettings.hooks.AfterTool)
    const byEvent = (a: [string, unknown], b: [string, unknown]) => a[0].localeCompare(b[0])
    expect(busHandlers(hooks).map(({ event, handler }): [string, unknown] => [event, handler]).sort(byEvent)).toEqual(
      geminiHooks.map((spec): [string, unknown] => [spec.event, {
        type: "command",
        command: `${process.execPath} ${bin} hook ${spec.hook}`,
        timeout: spec.timeout * 1000
      }]).sort(byEvent)
    )
    expect(readJson(backupsOf(home.geminiSettings)[0]!)).toEqual(userGeminiSettings)
  })

  it("a second run changes nothing and makes no backup", () => {
    const home = userHome()
    expect(runCli(home.home, ["install", "gemini"]).status).toBe(0)
    const before = snapshot(home.home)
    const again = runCli(home.home, ["install", "gemini"])
    expect(again.status).toBe(0)
    expect(again.stdout).toContain(`unchanged ${home.geminiSettings}`)
    expect(snapshot(home.home)).toEqual(before)
  })

  it("GEMINI_CLI_HOME moves settings.json to $GEMINI_CLI_HOME/.gemini, as Gemini CLI reads it", () => {
    const home = emptyHome()
    const geminiHome = makeTempDir("helioy-gemini-home-")
    expect(runCli(home.home, ["install", "gemini"], { GEMINI_CLI_HOME: geminiHome }).status).toBe(0)
    expect(fs.existsSync(home.geminiSettings)).toBe(false)
    const settings = readJson(join(geminiHome, ".gemini", "settings.json"))
    expect(Object.keys(settings.mcpServers as object)).toEqual(["helioy-bus"])
    expect(Object.keys(settings.hooks as object).sort()).toEqual([
      "AfterAgent",
      "BeforeAgent",
      "SessionEnd",
      "SessionStart"
    ])
  })

  it("keeps the env and trust the user gave an earlier helioy-bus entry", () => {
    const home = userHome()
    const own = {
      ...userGeminiSettings,
      mcpServers: {
        "helioy-bus": { command: "node", args: ["/old/bin/helioy-bus.js", "serve"], trust: true, env: { A: "1" } }
      }
    }
    fs.writeFileSync(home.geminiSettings, JSON.stringify(own, null, 2) + "\n")
    expect(runCli(home.home, ["install", "gemini"]).status).toBe(0)
    expect((readJson(home.geminiSettings).mcpServers as Record<string, unknown>)["helioy-bus"]).toEqual({
      command: process.execPath,
      args: [bin, "serve"],
      env: { A: "1" },
      trust: true
    })
  })

  it("refuses settings.json that is not JSON, writing nothing", () => {
    const home = userHome()
    fs.writeFileSync(home.geminiSettings, "{ \"ui\": ")
    const before = snapshot(home.home)
    const run = runCli(home.home, ["install", "gemini"])
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`${home.geminiSettings}: not valid JSON`)
    expect(snapshot(home.home)).toEqual(before)
  })
})

describe("helioy-bus uninstall gemini", () => {
  it("leaves the user's own hooks and a helioy-bus server the install did not write", () => {
    const home = userHome()
    const own = {
      ...userGeminiSettings,
      mcpServers: { "helioy-bus": { command: "python3", args: ["-m", "helioy_bus"] } }
    }
    const text = JSON.stringify(own, null, 2) + "\n"
    fs.writeFileSync(home.geminiSettings, text)
    const run = runCli(home.home, ["uninstall", "gemini"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`unchanged ${home.geminiSettings}`)
    expect(fs.readFileSync(home.geminiSettings, "utf8")).toBe(text)
    expect((own.hooks.BeforeAgent[0]!.hooks[0] as Handler).command).toBe(userHook.command)
  })
})
