/** `helioy-bus doctor` through the built binary, against a fake HOME. */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { emptyHome, type FakeHome, readJson, runCli, snapshot, userHome } from "../support/fakeHome.js"
import { busBin, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

/** The doctor's lines as `{ status, subject, detail }`. */
const linesOf = (stdout: string) =>
  stdout.split("\n").flatMap((line) => {
    const match = /^(ok|warn|fail) +([^:]+): (.*)$/.exec(line)
    return match ? [{ status: match[1]!, subject: match[2]!, detail: match[3]! }] : []
  })

const statusOf = (stdout: string, subject: string) => linesOf(stdout).find((line) => line.subject === subject)

/** A bus dir made the real way: `helioy-bus serve` starts (creating and migrating it) and stops at end of input. */
const startedBus = (home: FakeHome) => {
  const run = runCli(home.home, ["serve"])
  expect(run.status).toBe(0)
  expect(fs.existsSync(join(home.busDir, "registry.db"))).toBe(true)
}

const installed = (home: FakeHome) => {
  expect(runCli(home.home, ["install", "claude"]).status).toBe(0)
  expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
  expect(runCli(home.home, ["install", "gemini"]).status).toBe(0)
  // Gemini CLI starts MCP servers only in trusted folders: the user trusts the one doctor runs in.
  fs.writeFileSync(
    join(home.home, ".gemini", "trustedFolders.json"),
    JSON.stringify({ [process.cwd()]: "TRUST_FOLDER" })
  )
}

describe("helioy-bus doctor", () => {
  it("on a fresh HOME reports what is missing and exits 1", () => {
    const home = emptyHome()
    const run = runCli(home.home, ["doctor"])
    expect(run.status).toBe(1)
    expect(statusOf(run.stdout, "bus dir")).toMatchObject({ status: "warn" })
    expect(statusOf(run.stdout, "bus dir")?.detail).toContain(`${home.busDir} does not exist yet`)
    expect(statusOf(run.stdout, "registry")).toMatchObject({ status: "warn" })
    expect(statusOf(run.stdout, "claude")?.detail).toContain("run helioy-bus install claude")
    expect(statusOf(run.stdout, "codex")?.detail).toContain("run helioy-bus install codex")
    expect(statusOf(run.stdout, "runtimes")).toMatchObject({ status: "fail" })
    expect(fs.readdirSync(home.home)).toEqual([])
  })

  it("after install and with a good bus dir reports ok and exits 0", () => {
    const home = userHome()
    installed(home)
    startedBus(home)
    const before = snapshot(home.home)
    const run = runCli(home.home, ["doctor"])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
    expect(snapshot(home.home)).toEqual(before)
    const lines = linesOf(run.stdout)
    expect(lines.map((line) => line.subject)).toEqual([
      "bus dir",
      "registry",
      "tmux",
      "claude mcp server",
      "claude hooks",
      "codex mcp server",
      "codex hooks feature",
      "codex hooks",
      "gemini mcp server",
      "gemini hooks",
      "gemini folder trust"
    ])
    for (const line of lines) {
      // tmux is optional: without it the line warns, and mail still works.
      expect(
        line.status === "ok" || (line.subject === "tmux" && line.status === "warn"),
        `${line.subject}: ${line.detail}`
      ).toBe(true)
    }
    expect(statusOf(run.stdout, "registry")?.detail).toMatch(/schema at migration \d+/)
    expect(run.stdout).toContain("No problems found.")
  })

  it("reports a group-writable bus dir with the chmod that fixes it", () => {
    const home = userHome()
    installed(home)
    startedBus(home)
    fs.chmodSync(home.busDir, 0o770)
    const run = runCli(home.home, ["doctor"])
    expect(run.status).toBe(1)
    expect(statusOf(run.stdout, "bus dir")).toEqual({
      status: "fail",
      subject: "bus dir",
      detail: `${home.busDir}: it is group- or world-writable (mode 770); run: chmod 700 ${home.busDir}`
    })
  })

  it("reports hooks that point at a missing helioy-bus and a Codex server that forwards too little", () => {
    const home = userHome()
    installed(home)
    startedBus(home)
    const settings = fs.readFileSync(home.claudeSettings, "utf8")
    fs.writeFileSync(home.claudeSettings, settings.replaceAll(fs.realpathSync(busBin), "/gone/bin/helioy-bus.js"))
    const toml = fs.readFileSync(home.codexConfig, "utf8")
    fs.writeFileSync(home.codexConfig, toml.replace(/^env_vars = .*$/m, "env_vars = [\"TMUX\"]"))
    const run = runCli(home.home, ["doctor"])
    expect(run.status).toBe(1)
    expect(statusOf(run.stdout, "claude hooks")).toMatchObject({ status: "fail" })
    expect(statusOf(run.stdout, "claude hooks")?.detail).toContain(
      "/gone/bin/helioy-bus.js, which does not exist; run helioy-bus install claude"
    )
    expect(statusOf(run.stdout, "codex mcp server")?.detail).toContain("lacks TMUX_PANE, HELIOY_AGENT_ID")
  })

  it("warns about the deprecated [features] codex_hooks key and says to use hooks; install rewrites it", () => {
    const home = userHome()
    installed(home)
    startedBus(home)
    const toml = fs.readFileSync(home.codexConfig, "utf8")
    fs.writeFileSync(home.codexConfig, toml.replace(/^hooks = true$/m, "codex_hooks = true"))
    const run = runCli(home.home, ["doctor"])
    expect(statusOf(run.stdout, "codex hooks feature")).toMatchObject({ status: "warn" })
    expect(statusOf(run.stdout, "codex hooks feature")?.detail).toContain("codex_hooks is deprecated")
    expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toMatch(/^hooks = true$/m)
    expect(fs.readFileSync(home.codexConfig, "utf8")).not.toContain("codex_hooks")
    expect(statusOf(runCli(home.home, ["doctor"]).stdout, "codex hooks feature")).toMatchObject({ status: "ok" })
  })

  it("reports missing hooks by event", () => {
    const home = userHome()
    installed(home)
    startedBus(home)
    const settings = readJson(home.claudeSettings)
    delete (settings.hooks as Record<string, unknown>).SessionEnd
    fs.writeFileSync(home.claudeSettings, JSON.stringify(settings))
    const run = runCli(home.home, ["doctor"])
    expect(run.status).toBe(1)
    expect(statusOf(run.stdout, "claude hooks")?.detail).toContain("lacks SessionEnd session-end")
  })

  it("accepts the Claude Code plugin instead of an install", () => {
    const home = emptyHome()
    fs.mkdirSync(join(home.home, ".claude"))
    fs.writeFileSync(home.claudeSettings, JSON.stringify({ enabledPlugins: { "helioy-bus@helioy": true } }))
    const run = runCli(home.home, ["doctor"])
    expect(statusOf(run.stdout, "claude plugin")).toMatchObject({ status: "ok" })
    expect(statusOf(run.stdout, "runtimes")).toBeUndefined()
  })

  it("accepts the Codex plugin instead of an install, and warns when both are set up", () => {
    const home = emptyHome()
    const codexHome = join(home.home, ".codex")
    fs.mkdirSync(codexHome)
    fs.writeFileSync(join(codexHome, "config.toml"), "[plugins.\"helioy-bus@helioy\"]\nenabled = true\n")
    const run = runCli(home.home, ["doctor"])
    expect(statusOf(run.stdout, "codex plugin")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("helioy-bus@helioy enabled")
    })
    expect(statusOf(run.stdout, "codex mcp server")).toBeUndefined()
    expect(statusOf(run.stdout, "runtimes")).toBeUndefined()
    expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
    const both = runCli(home.home, ["doctor"])
    const lines = linesOf(both.stdout).filter((line) => line.subject === "codex plugin")
    expect(lines.map((line) => line.status)).toEqual(["ok", "warn"])
    expect(lines[1]?.detail).toContain("both set up, so every hook runs twice")
  })
})
