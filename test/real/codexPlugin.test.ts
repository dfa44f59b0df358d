/**
 * The Codex plugin as a user gets it: a fresh clone of this repository (no dist/, no node_modules) added as a Codex
 * marketplace, and the plugin added with the real Codex (pinned), which copies it into its plugin cache as it is.
 * Nothing is written into config.toml by hand and `helioy-bus install codex` never runs: the plugin brings the hooks
 * and the MCP server. A session is started through the launch wrapper run by the plugin's own launcher, which builds
 * the bus into the plugin's data dir on the first run; the wrapper registers the session and wakes it through the
 * daemon, the plugin's hooks and MCP server serve it.
 *
 * To keep this file to a minute or two, better-sqlite3 is put into the data dir beforehand, built for this Node (the
 * repository's own copy): the bootstrap then installs the dependencies and bundles, and its native step finds the
 * module loading. Compiling it on a bare machine is what test/real/plugin.test.ts measures.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "smol-toml"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { clientsBin } from "./support/clients.js"
import {
  type CodexSession,
  type DaemonWatch,
  quitCodex,
  seedCodexAccount,
  startCodex,
  stopCodexDaemon,
  watchDaemon
} from "./support/codexSession.js"
import { figure } from "./support/figures.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"
import { cloneWorkingTree } from "./support/workingTreeClone.js"

const repoRoot = fileURLToPath(new URL("../..", import.meta.url))

let rig: RealRig
let repo: string
let installPath: string
let session: CodexSession
let daemon: DaemonWatch
let installMs = 0

const codex = (args: ReadonlyArray<string>) =>
  execFileSync(join(clientsBin(), "codex"), args, { cwd: rig.root, env: rig.env, encoding: "utf8", timeout: 120_000 })

/** The plugin's data dir, as Codex gives it to the plugin's hooks (PLUGIN_DATA). */
const pluginData = () => join(rig.codexHome, "plugins", "data", "helioy-bus-helioy")

/** better-sqlite3 and what it loads, from the repository's node_modules (built for this Node) into the data dir. */
const seedNativeModule = () => {
  for (const name of ["better-sqlite3", "bindings", "file-uri-to-path"]) {
    fs.cpSync(join(repoRoot, "node_modules", name), join(pluginData(), "node_modules", name), { recursive: true })
  }
}

/** Every rollout Codex wrote so far, as one text. */
const rollouts = () => {
  const dir = join(rig.codexHome, "sessions")
  if (!fs.existsSync(dir)) return ""
  return (fs.readdirSync(dir, { recursive: true }) as Array<string>).filter((name) => String(name).endsWith(".jsonl"))
    .map((name) => fs.readFileSync(join(dir, String(name)), "utf8")).join("\n")
}

/** Ends the running turns of the session's thread as the user would (offline, a turn retries the model for minutes). */
const endTurn = async (threadId: string) => {
  const listed = await daemon.call("thread/turns/list", { threadId })
  const running = ((listed.result as { data?: Array<{ id: string; status: string }> }).data ?? []).filter((turn) =>
    turn.status === "inProgress"
  )
  for (const turn of running) await daemon.call("turn/interrupt", { threadId, turnId: turn.id })
  await waitFor(`thread ${threadId} to be idle`, 60, () => {
    const last = [...daemon.events].reverse().find((event) => event.threadId === threadId)
    return last === undefined || last.status === "idle" ? true : undefined
  })
}

beforeAll(async () => {
  rig = await startRealRig()
  repo = rig.repo("repoCodexPlugin")
  const clone = join(rig.root, "helioy-bus")
  cloneWorkingTree(clone)
  seedCodexAccount(rig, [repo])
  const started = Date.now()
  codex(["plugin", "marketplace", "add", clone])
  const added = codex(["plugin", "add", "helioy-bus@helioy"])
  installMs = Date.now() - started
  installPath = /Installed plugin root: (.+)/.exec(added)![1]!.trim()
  seedNativeModule()
})

afterAll(async () => {
  daemon?.close()
  if (rig !== undefined) {
    stopCodexDaemon(rig)
    await rig.close()
  }
  removeTempDirs()
})

describe("the Codex plugin installed from a fresh clone (marketplace add + plugin add), with no config.toml edited by hand", () => {
  it("Codex installs the repository's own .codex-plugin/plugin.json, at the package's version, with no dist/ and no node_modules", () => {
    const version = JSON.parse(fs.readFileSync(join(repoRoot, "package.json"), "utf8")).version as string
    expect(installPath).toBe(join(rig.codexHome, "plugins", "cache", "helioy", "helioy-bus", version))
    expect(JSON.parse(fs.readFileSync(join(installPath, ".codex-plugin", "plugin.json"), "utf8"))).toMatchObject({
      name: "helioy-bus",
      hooks: "./hooks/codex-hooks.json",
      mcpServers: "./.codex-mcp.json"
    })
    expect(fs.existsSync(join(installPath, "dist"))).toBe(false)
    expect(fs.existsSync(join(installPath, "node_modules"))).toBe(false)
  })

  it("config.toml holds only what Codex's own plugin commands wrote: no MCP server, no hooks file, no feature flag", () => {
    const config = parse(fs.readFileSync(join(rig.codexHome, "config.toml"), "utf8"))
    expect(Object.keys(config).sort()).toEqual(["marketplaces", "plugins", "projects"])
    expect(config.plugins).toEqual({ "helioy-bus@helioy": { enabled: true } })
    expect(fs.existsSync(join(rig.codexHome, "hooks.json"))).toBe(false)
  })

  it("doctor counts the plugin as Codex's wiring", () => {
    let output: string
    try {
      output = rig.cli(["doctor", "--json"])
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? "") // Claude Code is not wired here: doctor may exit 1.
    }
    const checks = (JSON.parse(output) as { checks: Array<{ name: string; status: string }> }).checks
    expect(checks.filter((check) => check.name.startsWith("codex"))).toEqual([
      expect.objectContaining({ name: "codex plugin", status: "ok" })
    ])
    expect(checks.find((check) => check.name === "runtimes")).toBeUndefined()
  })

  it("a session started through the plugin's launcher (`launch.js run codex -- codex`) waits for the bootstrap, then registers with its thread bound", async () => {
    const started = Date.now()
    session = await startCodex(rig, repo, {
      bus: [process.execPath, join(installPath, "plugin", "launch.js")],
      seconds: 600
    })
    const ready = JSON.parse(fs.readFileSync(join(pluginData(), "ready.json"), "utf8")) as {
      seconds: number
      node: string
    }
    figure("codex-plugin-bootstrap", {
      pluginInstallMs: installMs,
      bootstrapSeconds: ready.seconds,
      nativeModuleSeeded: true,
      node: ready.node,
      sessionStartToRegisteredMs: Date.now() - started
    })
    expect(session.agentId).toMatch(/^repoCodexPlugin:general:rig:\d+\.0$/)
    expect(session.threadId).not.toBe("")
    daemon = await watchDaemon(rig)
  })

  it("the plugin's MCP server (started by the daemon from the plugin cache, no variable set) answers whoami for the session's thread", async () => {
    const called = await daemon.call("mcpServer/tool/call", {
      server: "helioy-bus",
      threadId: session.threadId,
      tool: "whoami",
      arguments: {}
    })
    expect((called.result as { structuredContent: unknown }).structuredContent).toMatchObject({
      agent_id: session.agentId,
      session_id: session.threadId,
      identity_source: "call-session"
    })
    // The server found the data dir the hooks are given, and built nothing of its own.
    expect(fs.existsSync(join(rig.home, ".helioy", "plugin-data"))).toBe(false)
  })

  it("mail to the idle session starts a turn through the daemon, with nothing typed, and the plugin's SessionStart hook tells it its id", async () => {
    const sender = await rig.sender()
    const at = Date.now()
    const secret = "SECRET-CODEX-PLUGIN-MAIL"
    const result = await sender.ok("send_message", { to: session.agentId, content: secret })
    expect(result).toMatchObject({
      delivered: true,
      wakes: [{ agent_id: session.agentId, wake: "daemon", pending: true }]
    })
    const turn = await waitFor(
      "the woken turn to start",
      30,
      () =>
        daemon.events.find((event) =>
          event.threadId === session.threadId && event.status === "active" && event.at >= at
        )
    )
    figure("codex-plugin-daemon-wake", { sendToTurnStartMs: turn.at - at })
    // Codex fires SessionStart on a session's first turn: the plugin's hook ran, through the launcher.
    await waitFor(
      "the plugin's SessionStart context in the rollout",
      30,
      () => rollouts().includes(`you are '${session.agentId}' on the agent bus`) ? true : undefined,
      () => rollouts().slice(-2000)
    )
    await endTurn(session.threadId)
    await waitFor(
      "the wake record",
      10,
      () => rig.wakesOf(session.agentId).find((wake) => wake.message_id === result.message_id)
    )
    // The daemon woke it first; the Stop hook that ends the turn with the mail unread may record a hook-context wake
    // after it. Nothing was typed.
    const wakes = rig.wakesOf(session.agentId).filter((wake) => wake.message_id === result.message_id)
    expect(wakes[0]).toMatchObject({ method: "daemon", confirmed: 1 })
    expect(wakes.map((wake) => wake.method)).not.toContain("nudge")
    expect(rig.tmux.capture(session.paneId)).not.toContain(secret)
  })

  it("quitting the TUI takes the session off the bus", async () => {
    await quitCodex(rig, session)
    await waitFor(
      "the session's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === session.agentId) ? undefined : true
    )
  })
})
