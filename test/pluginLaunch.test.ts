/**
 * plugin/launch.js, the plugins' entry, without Claude Code or Codex: which bus it runs, what it does without one,
 * where its data dir is.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
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

/**
 * What bootstrap.js's pluginPaths answers in a node of its own, with only `env` set (and cachedPluginData of `root`).
 */
const pathsWith = (env: Record<string, string>, root = "") => {
  const module = pathToFileURL(join(repoRoot, "plugin", "bootstrap.js")).href
  const script = `import { cachedPluginData, pluginPaths } from ${JSON.stringify(module)}
console.log(JSON.stringify({ ...pluginPaths(), cached: cachedPluginData(${JSON.stringify(root)}) ?? null }))`
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "", HOME: "/home/me", ...env },
    encoding: "utf8"
  })
  expect(result.stderr).toBe("")
  return JSON.parse(result.stdout) as { root: string; data: string; cached: string | null }
}

describe("plugin/bootstrap.js pluginPaths", () => {
  const cacheRoot = "/home/me/.codex/plugins/cache/helioy/helioy-bus/0.1.0"

  it("the runtime's variables name the root and the data dir: Claude Code's first, then Codex's", () => {
    expect(pathsWith({ CLAUDE_PLUGIN_ROOT: "/r", CLAUDE_PLUGIN_DATA: "/d", PLUGIN_ROOT: "/x", PLUGIN_DATA: "/y" }))
      .toMatchObject({ root: "/r", data: "/d" })
    expect(pathsWith({ PLUGIN_ROOT: "/x", PLUGIN_DATA: "/y" })).toMatchObject({ root: "/x", data: "/y" })
  })

  it("with no data variable (Codex's MCP server, the launch wrapper), a root in a plugin cache finds that cache's data dir", () => {
    expect(pathsWith({ PLUGIN_ROOT: cacheRoot }, cacheRoot)).toMatchObject({
      root: cacheRoot,
      data: "/home/me/.codex/plugins/data/helioy-bus-helioy",
      cached: "/home/me/.codex/plugins/data/helioy-bus-helioy"
    })
  })

  it("a root anywhere else (a clone run by hand) keeps ~/.helioy/plugin-data", () => {
    expect(pathsWith({}, repoRoot)).toMatchObject({
      root: repoRoot.replace(/\/$/, ""),
      data: "/home/me/.helioy/plugin-data",
      cached: null
    })
  })
})

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
