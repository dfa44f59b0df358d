/**
 * plugin/launch.js, the Claude Code plugin's entry, without Claude Code: which bus it runs, and what it does without
 * one.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs } from "./support/mcpClient.js"

const repoRoot = fileURLToPath(new URL("..", import.meta.url))

afterAll(() => removeTempDirs())

/** Runs the launcher of `root` with `args`, a hook event on stdin, and the plugin variables set. */
const launch = (root: string, data: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(root, "plugin", "launch.js"), ...args], {
    input: JSON.stringify({ hook_event_name: "UserPromptSubmit", session_id: "s-1", cwd: root }),
    env: { ...process.env, CLAUDE_PLUGIN_ROOT: root, CLAUDE_PLUGIN_DATA: data, ...env },
    encoding: "utf8",
    timeout: 30_000
  })

/** A plugin root as a fresh clone has it: the launcher and the manifests, no dist/, no node_modules. */
const bareRoot = () => {
  const root = makeTempDir("helioy-plugin-root-")
  fs.cpSync(join(repoRoot, "plugin"), join(root, "plugin"), { recursive: true })
  fs.copyFileSync(join(repoRoot, "package.json"), join(root, "package.json"))
  return root
}

describe("plugin/launch.js", () => {
  it("a per-prompt hook with no bus built yet exits 0 at once, prints nothing and starts no bootstrap", () => {
    const data = makeTempDir("helioy-plugin-data-")
    const root = bareRoot()
    for (const event of ["user-prompt-submit", "pre-tool-use", "stop", "session-end"]) {
      const result = launch(root, data, ["hook", event])
      expect(result.status).toBe(0)
      expect(result.stdout).toBe("")
      expect(result.stderr).toBe("")
    }
    expect(fs.existsSync(join(data, "bootstrap.log"))).toBe(false)
  })

  it("a checkout built in place (dist/ and better-sqlite3 present) runs its own bus, with nothing bootstrapped", () => {
    const data = makeTempDir("helioy-plugin-data-")
    const home = makeTempDir("helioy-plugin-home-")
    const result = launch(repoRoot, data, ["--version"], { HOME: home, HELIOY_BUS_DIR: join(home, "bus") })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(JSON.parse(fs.readFileSync(join(repoRoot, "package.json"), "utf8")).version)
    expect(fs.readdirSync(data)).toEqual([])
  })
})
