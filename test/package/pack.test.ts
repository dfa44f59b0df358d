/**
 * The npm package as a user gets it: `npm pack` of this checkout (the build at hand: `npm test` builds first, and
 * `prepare` builds for a real pack), installed from the tarball with `--omit=dev` into a temporary prefix (registry
 * packages allowed), then the installed `helioy-bus` served to the MCP SDK's Client and run as a command.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { execFile, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"

const repo = fileURLToPath(new URL("../..", import.meta.url))

let prefix = ""
let tarballFiles: ReadonlyArray<string> = []
let installed = ""
/** The HOME the served bus ran in (its registry.db exists once the serve test ran). */
let servedHome = ""

/**
 * npm (asynchronously: a worker blocked for minutes loses vitest's calls), with the headers of the Node running the
 * tests (better-sqlite3 may be compiled for it); resolves with its stdout, rejects with its stderr.
 */
const npm = async (args: ReadonlyArray<string>, cwd: string) =>
  (await promisify(execFile)("npm", [...args, `--nodedir=${dirname(dirname(process.execPath))}`], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" }
  })).stdout

beforeAll(async () => {
  const work = makeTempDir("helioy-pack-")
  // --ignore-scripts: the other test files run the build in dist/ meanwhile; `prepare` would rebuild it under them.
  const [packed] = JSON.parse(
    await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], repo)
  ) as Array<{
    filename: string
    files: Array<{ path: string }>
  }>
  tarballFiles = packed!.files.map((file) => file.path)
  prefix = join(work, "prefix")
  await npm(["install", "--prefix", prefix, "--omit=dev", join(work, packed!.filename)], work)
  installed = join(prefix, "node_modules", ".bin", "helioy-bus")
}, 0)

afterAll(() => removeTempDirs())

/** Runs the installed `helioy-bus` with a fake HOME and bus dir. */
const runInstalled = (args: ReadonlyArray<string>, home: string) =>
  spawnSync(process.execPath, [installed, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, HELIOY_BUS_DIR: join(home, "bus") }
  })

describe("the npm package", () => {
  it("the tarball holds the built bundles, the library, its types and the plugin files, and no sources", () => {
    for (
      const file of [
        "bin/helioy-bus.js",
        "bin/helioy-warroom.js",
        "dist/bin/helioy-bus.mjs",
        "dist/bin/serve.mjs",
        "dist/lib/index.js",
        "dist/index.d.ts",
        ".mcp.json",
        ".claude-plugin/marketplace.json",
        ".codex-plugin/plugin.json",
        ".codex-mcp.json",
        "hooks/hooks.json",
        "hooks/codex-hooks.json",
        "plugin/launch.js",
        "plugin/bootstrap.js",
        "codex/config.toml",
        "package.json",
        "README.md",
        "LICENSE"
      ]
    ) expect(tarballFiles).toContain(file)
    expect(tarballFiles.filter((file) => /^(src|test|scripts|bench|\.ci)\//.test(file))).toEqual([])
    expect(
      tarballFiles.filter((file) =>
        file.startsWith("dist/") && !/^dist\/(bin|lib)\//.test(file) && !file.endsWith(".d.ts")
      )
    ).toEqual([])
  })

  it("a production install holds better-sqlite3 and none of the code bundled into the executables", () => {
    const modules = join(prefix, "node_modules")
    expect(fs.existsSync(join(modules, "better-sqlite3", "package.json"))).toBe(true)
    for (const bundled of ["effect", "@effect/platform", "@modelcontextprotocol/sdk", "zod", "yaml"]) {
      expect(fs.existsSync(join(modules, bundled))).toBe(false)
    }
  })

  it("the installed `helioy-bus serve` lists its tools and carries a message from send_message to get_messages", async () => {
    const home = makeTempDir("helioy-pack-home-")
    servedHome = home
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [installed, "serve"],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        HELIOY_BUS_DIR: join(home, "bus"),
        HELIOY_AGENT_ID: "writer:general"
      },
      stderr: "pipe"
    })
    const client = new Client({ name: "helioy-pack-test", version: "0.0.0" })
    await client.connect(transport)
    try {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(["register_agent", "send_message", "get_messages"])
      )
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args })
        expect(result.isError ?? false).toBe(false)
        return result.structuredContent as Record<string, unknown>
      }
      await call("register_agent", { pwd: home, agent_id: "reader:general" })
      const sent = await call("send_message", { to: "reader:general", content: "from the tarball", nudge: false })
      expect(sent).toMatchObject({ delivered: true, recipients: ["reader:general"] })
      const got = await call("get_messages", { agent_id: "reader:general" })
      expect(got.result).toEqual([expect.objectContaining({ from: "writer:general", content: "from the tarball" })])
    } finally {
      await client.close()
    }
  })

  it("the installed `helioy-bus install claude --dry-run` points at the installed package and writes nothing", () => {
    const home = makeTempDir("helioy-pack-home-")
    const result = runInstalled(["install", "claude", "--dry-run"], home)
    expect(result.stderr).toBe("")
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(join(prefix, "node_modules", "helioy-bus", "bin", "helioy-bus.js"))
    expect(fs.readdirSync(home)).toEqual([])
  })

  it("the installed `helioy-bus doctor` runs its checks and opens the registry the served bus made", () => {
    const result = runInstalled(["doctor"], servedHome)
    // No runtime is wired to the bus in this HOME: doctor says so and exits 1; the bus dir and registry are fine.
    expect([0, 1]).toContain(result.status)
    expect(result.stdout).toMatch(/^ok\s+bus dir/m)
    expect(result.stdout).toMatch(/^ok\s+registry/m)
    expect(result.stderr).not.toContain("fiber=")
  })
})
