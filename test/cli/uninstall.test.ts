/** `helioy-bus uninstall claude|codex` through the built binary: it takes back exactly what `install` added. */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { backupsOf, type FakeHome, runCli, snapshot, userCodexConfig, userHome } from "../support/fakeHome.js"
import { removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const runtimes = ["claude", "codex", "gemini"] as const

/** The configuration files of one runtime in a fake HOME. */
const filesOf = (home: FakeHome, runtime: typeof runtimes[number]) =>
  runtime === "claude"
    ? [home.claudeJson, home.claudeSettings]
    : runtime === "gemini"
    ? [home.geminiSettings]
    : [home.codexConfig, home.codexHooks]

/** Each file's bytes. */
const bytesOf = (paths: ReadonlyArray<string>) => paths.map((path) => fs.readFileSync(path))

describe.each(runtimes)("helioy-bus uninstall %s", (runtime) => {
  it("after install restores every file byte for byte, backing up each file it changes", () => {
    const home = userHome()
    const files = filesOf(home, runtime)
    const originals = bytesOf(files)
    const modes = files.map((path) => fs.statSync(path).mode & 0o777)
    expect(runCli(home.home, ["install", runtime]).status).toBe(0)
    const installed = bytesOf(files)
    for (const [i, bytes] of installed.entries()) expect(bytes.equals(originals[i]!)).toBe(false)

    const run = runCli(home.home, ["uninstall", runtime])
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
    for (const [i, path] of files.entries()) {
      expect(fs.readFileSync(path).equals(originals[i]!), path).toBe(true)
      expect(run.stdout).toContain(`updated ${path} (backup: ${path}.bak-`)
      // One backup from the install (the original), one from the uninstall (the installed file).
      const backups = backupsOf(path).map((backup) => fs.readFileSync(backup))
      expect(backups).toHaveLength(2)
      expect(backups.some((bytes) => bytes.equals(installed[i]!))).toBe(true)
      expect(fs.statSync(path).mode & 0o777).toBe(modes[i])
    }
  })

  it("a second uninstall changes nothing and makes no backup", () => {
    const home = userHome()
    expect(runCli(home.home, ["install", runtime]).status).toBe(0)
    expect(runCli(home.home, ["uninstall", runtime]).status).toBe(0)
    const before = snapshot(home.home)
    const again = runCli(home.home, ["uninstall", runtime])
    expect(again.status).toBe(0)
    for (const path of filesOf(home, runtime)) expect(again.stdout).toContain(`unchanged ${path}`)
    expect(snapshot(home.home)).toEqual(before)
  })

  it("--dry-run prints what would go and writes nothing", () => {
    const home = userHome()
    expect(runCli(home.home, ["install", runtime]).status).toBe(0)
    const before = snapshot(home.home)
    const run = runCli(home.home, ["uninstall", runtime, "--dry-run"])
    expect(run.status).toBe(0)
    for (const path of filesOf(home, runtime)) expect(run.stdout).toContain(`would update ${path}`)
    expect(run.stdout).toMatch(/^- .*helioy-bus\.js.* hook (stop|after-agent)/m)
    expect(run.stdout).toContain("(dry run: nothing was written)")
    expect(snapshot(home.home)).toEqual(before)
  })

  it("without an install changes nothing, and creates no file in an empty HOME", () => {
    const home = userHome()
    const before = snapshot(home.home)
    expect(runCli(home.home, ["uninstall", runtime]).status).toBe(0)
    expect(snapshot(home.home)).toEqual(before)
    const empty = userHome()
    for (const path of filesOf(empty, runtime)) fs.rmSync(path)
    expect(runCli(empty.home, ["uninstall", runtime]).status).toBe(0)
    for (const path of filesOf(empty, runtime)) expect(fs.existsSync(path)).toBe(false)
  })
})

describe("helioy-bus uninstall codex", () => {
  it("keeps a [features] hooks = true that the user had set before the install", () => {
    const home = userHome()
    const own = userCodexConfig.replace("web_search = true\n", "web_search = true\nhooks = true\n")
    fs.writeFileSync(home.codexConfig, own)
    expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
    expect(runCli(home.home, ["uninstall", "codex"]).status).toBe(0)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toBe(own)
  })

  it("restores a config.toml that the install created from nothing to nothing", () => {
    const home = userHome()
    fs.writeFileSync(home.codexConfig, "")
    expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toContain("[features]")
    expect(runCli(home.home, ["uninstall", "codex"]).status).toBe(0)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toBe("")
  })

  it("leaves a helioy-bus server that the install did not write, and a file it cannot edit, alone", () => {
    const home = userHome()
    const python = `${userCodexConfig}\n[mcp_servers.helioy-bus]\ncommand = "python3"\nargs = ["-m", "helioy_bus"]\n`
    fs.writeFileSync(home.codexConfig, python)
    expect(runCli(home.home, ["uninstall", "codex"]).stdout).toContain(`unchanged ${home.codexConfig}`)
    expect(fs.readFileSync(home.codexConfig, "utf8")).toBe(python)
    fs.writeFileSync(home.codexConfig, "[mcp_servers\n")
    const before = snapshot(home.home)
    const run = runCli(home.home, ["uninstall", "codex"])
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`${home.codexConfig}: not valid TOML`)
    expect(snapshot(home.home)).toEqual(before)
    expect(fs.readdirSync(join(home.home, ".codex")).filter((name) => name.includes(".bak-"))).toEqual([])
  })
})
