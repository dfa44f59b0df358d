/**
 * The Claude Code plugin as a user gets it: a fresh clone of this repository (no dist/, no node_modules), added as a
 * marketplace and installed with the real Claude Code (pinned), which copies it into its plugin cache and installs
 * node_modules with scripts off. The first session bootstraps the bus into ${CLAUDE_PLUGIN_DATA} in the background
 * and joins the bus when that is done; later sessions find it ready.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import {
  allowBusTools,
  busToolPrefix,
  claudeIdle,
  type ClaudeSession,
  claudeTurns,
  exitClaude,
  seedClaudeAccount,
  startClaude
} from "./support/claudeSession.js"
import { clientsBin } from "./support/clients.js"
import { figure } from "./support/figures.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"
import { cloneWorkingTree } from "./support/workingTreeClone.js"

let rig: RealRig
let repo: string
let first: ClaudeSession
let installMs = 0

const claude = (args: ReadonlyArray<string>) =>
  execFileSync(join(clientsBin(), "claude"), args, { cwd: rig.root, env: rig.env, encoding: "utf8", timeout: 300_000 })

/** The plugin's data dir (${CLAUDE_PLUGIN_DATA}), found by its bootstrap log. */
const pluginData = (): string | undefined => {
  const base = join(rig.home, ".claude", "plugins", "data")
  if (!fs.existsSync(base)) return undefined
  return fs.readdirSync(base).map((entry) => join(base, entry)).find((dir) => fs.existsSync(join(dir, "bootstrap.log")))
}

const idleAndArmed = (session: ClaudeSession) =>
  waitFor(
    `${session.agentId} idle with its waiter armed`,
    60,
    () => rig.hasWaiter(session.agentId) && claudeIdle(rig.tmux.capture(session.paneId)) ? true : undefined,
    () => rig.tmux.capture(session.paneId)
  )

beforeAll(async () => {
  rig = await startRealRig()
  repo = rig.repo("repoPlugin")
  const clone = join(rig.root, "helioy-bus")
  cloneWorkingTree(clone)
  expect(fs.existsSync(join(clone, "dist"))).toBe(false)
  seedClaudeAccount(rig, [repo, rig.repo("repoLater")])
  allowBusTools(rig, undefined, busToolPrefix.plugin)
  const started = Date.now()
  claude(["plugin", "marketplace", "add", clone])
  claude(["plugin", "install", "helioy-bus@helioy"])
  installMs = Date.now() - started
})

afterAll(async () => {
  await rig?.close()
  removeTempDirs()
})

describe("the Claude Code plugin installed from a fresh clone (marketplace add + plugin install)", () => {
  it("the plugin's copy has no dist/ and no better-sqlite3 binary: there is something to bootstrap", () => {
    const installed = JSON.parse(
      fs.readFileSync(join(rig.home, ".claude", "plugins", "installed_plugins.json"), "utf8")
    )
    const installPath = installed.plugins["helioy-bus@helioy"][0].installPath as string
    expect(fs.existsSync(join(installPath, "plugin", "launch.js"))).toBe(true)
    expect(fs.existsSync(join(installPath, "dist"))).toBe(false)
    expect(fs.existsSync(join(installPath, "node_modules", "better-sqlite3", "build"))).toBe(false)
  })

  it("the first session reaches its prompt while the bus bootstraps in the background, then registers with nothing typed", async () => {
    const started = Date.now()
    let promptAt = 0
    const paneId = rig.openPane(repo, [join(clientsBin(), "claude")])
    // Nothing waits for the bootstrap: the prompt comes first (unless the bootstrap is quicker than the TUI).
    await waitFor("the TUI to reach its prompt", 90, () => {
      if (claudeIdle(rig.tmux.capture(paneId))) return (promptAt = Date.now())
      return rig.agents().some((agent) => agent.pane_id === paneId) ? (promptAt = Date.now()) : undefined
    }, () => rig.tmux.capture(paneId))
    const registeredBeforePrompt = rig.agents().some((agent) => agent.pane_id === paneId)
    const row = await waitFor(
      "the first session to register after the bootstrap",
      900,
      () => rig.agents().find((agent) => agent.pane_id === paneId),
      () => `${rig.tmux.capture(paneId)}\n${fs.readFileSync(join(pluginData() ?? rig.root, "bootstrap.log"), "utf8")}`
    )
    const registeredAt = Date.now()
    await waitFor(`the rewake waiter of ${row.agent_id}`, 60, () => rig.hasWaiter(row.agent_id) ? true : undefined)
    const data = pluginData()!
    const ready = JSON.parse(fs.readFileSync(join(data, "ready.json"), "utf8")) as { seconds: number; node: string }
    figure("claude-plugin-bootstrap", {
      pluginInstallMs: installMs,
      bootstrapSeconds: ready.seconds,
      node: ready.node,
      sessionStartToPromptMs: promptAt - started,
      sessionStartToRegisteredMs: registeredAt - started,
      registeredBeforePrompt
    })
    expect(row.agent_id).toMatch(/^repoPlugin:general:rig:\d+\.0$/)
    const transcript = join(
      rig.home,
      ".claude",
      "projects",
      repo.replaceAll(/[^A-Za-z0-9]/g, "-"),
      `${row.session_id}.jsonl`
    )
    first = { paneId, agentId: row.agent_id, sessionId: row.session_id, cwd: repo, transcript }
  })

  it("the plugin's MCP server, started before the bootstrap was done, offers the bus's tools once it is", async () => {
    const tool = `${busToolPrefix.plugin}whoami`
    const whoami = () => rig.model.toolResults.find((result) => result.tool === tool && result.cwd === repo)
    for (let attempt = 0; attempt < 6 && whoami() === undefined; attempt++) {
      await waitFor("the session to be idle", 60, () => claudeIdle(rig.tmux.capture(first.paneId)) ? true : undefined)
      const turns = claudeTurns(first).length
      rig.tmux.run("send-keys", "-t", first.paneId, "-l", `CALL_TOOL ${tool}`)
      await new Promise((resolve) => setTimeout(resolve, 300))
      rig.tmux.run("send-keys", "-t", first.paneId, "Enter")
      await waitFor("the whoami turn to start", 30, () => claudeTurns(first).length > turns ? true : undefined)
      await waitFor(
        "the whoami turn to end",
        60,
        () => whoami() ?? (claudeIdle(rig.tmux.capture(first.paneId)) ? null : undefined)
      )
    }
    expect(JSON.parse(whoami()!.text)).toMatchObject({ agent_id: first.agentId, session_id: first.sessionId })
  })

  it("mail to the idle first session starts its turn through the plugin's rewake hook, with nothing typed", async () => {
    await idleAndArmed(first)
    const turns = claudeTurns(first).length
    const sender = await rig.sender()
    const at = Date.now()
    const result = await sender.ok("send_message", { to: first.agentId, content: "SECRET-PLUGIN-MAIL" })
    expect(result).toMatchObject({ delivered: true, wakes: [{ agent_id: first.agentId, wake: "rewake" }] })
    const turn = await waitFor(
      "the woken turn to start",
      30,
      () => claudeTurns(first).slice(turns).find((entry) => entry.at >= at - 1000)
    )
    expect(turn.text).toContain("Stop hook feedback")
    figure("claude-plugin-rewake", { sendToTurnStartMs: turn.at - at })
    expect(rig.wakesOf(first.agentId).filter((wake) => wake.method === "nudge")).toEqual([])
    expect(rig.tmux.capture(first.paneId)).not.toContain("SECRET-PLUGIN-MAIL")
  })

  it("a later session finds the bus ready and registers at its SessionStart", async () => {
    const started = Date.now()
    const later = await startClaude(rig, join(rig.root, "repoLater"))
    figure("claude-plugin-ready-session", { sessionStartToRegisteredMs: Date.now() - started })
    expect(later.agentId).toMatch(/^repoLater:general:rig:\d+\.0$/)
    await exitClaude(rig, later)
    await waitFor(
      "the later session's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === later.agentId) ? undefined : true
    )
  })

  it("/exit takes the first session off the bus", async () => {
    await idleAndArmed(first)
    await exitClaude(rig, first)
    await waitFor(
      "the first session's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === first.agentId) ? undefined : true
    )
  })
})
