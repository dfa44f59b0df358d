/**
 * A warroom of real runtimes: two Claude Code members and one Codex member spawned by `helioy-warroom serve` (through
 * the MCP SDK's client) into the rig's private tmux server, as root when CI runs as root.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { warroomBin } from "../support/warroomRig.js"
import { type ClaudeSession, claudeTurns, seedClaude } from "./support/claudeSession.js"
import { seedCodex, stopCodexDaemon } from "./support/codexSession.js"
import { figure } from "./support/figures.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"

let rig: RealRig
let repo: string
let warroom: Client
let spawned: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
let spawnMillis = 0

const call = async (name: string, args: Record<string, unknown> = {}) => {
  const result = (await warroom.callTool({ name, arguments: args })) as CallToolResult
  if (result.isError) {
    throw new Error(
      `${name} failed: ${result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n")}`
    )
  }
  return result.structuredContent as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Answers Codex's "Hooks need review" in any pane of the rig while `until` runs, as the user would. */
const answeringHookReview = async <A>(until: Promise<A>): Promise<A> => {
  let done = false
  const answering = (async () => {
    while (!done) {
      for (const pane of rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").trim().split("\n")) {
        if (rig.tmux.capture(pane).includes("Hooks need review")) {
          rig.tmux.run("send-keys", "-t", pane, "Down")
          rig.tmux.run("send-keys", "-t", pane, "Enter")
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  })()
  try {
    return await until
  } finally {
    done = true
    await answering
  }
}

beforeAll(async () => {
  rig = await startRealRig()
  repo = rig.repo("crew")
  seedClaude(rig, [repo])
  seedCodex(rig, [repo])
  const lead = rig.tmux.run("list-panes", "-t", "=rig:0", "-F", "#{pane_id}").trim()
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [warroomBin, "serve"],
    env: { ...rig.env, TMUX_TMPDIR: rig.tmux.tmpdir, TMUX_PANE: lead },
    cwd: repo,
    stderr: "pipe"
  })
  warroom = new Client({ name: "helioy-real-warroom", version: "0" })
  await warroom.connect(transport)
  const started = Date.now()
  spawned = await answeringHookReview(
    call("warroom_spawn", {
      name: "crew",
      agents: ["general", "general", "codex/general"],
      cwd: repo,
      wait_seconds: 120
    })
  )
  spawnMillis = Date.now() - started
})

afterAll(async () => {
  await warroom?.close()
  if (rig !== undefined) {
    stopCodexDaemon(rig)
    await rig.close()
  }
  removeTempDirs()
})

const ids = ["crew:general:crew.0", "crew:general:crew.1", "crew:general:crew.2"]

describe("a warroom of two Claude Code members and one Codex member", () => {
  it("the spawn waits until every member has registered under its warroom id, and says so", () => {
    figure("warroom-real-spawn", { members: 3, spawnToAllReadyMs: spawnMillis })
    expect(spawned.members.map((member: { agent_id: string; state: string }) => [member.agent_id, member.state]))
      .toEqual(ids.map((id) => [id, "ready"]))
    expect(spawned).toMatchObject({ ready: ids, pending: [], failed: [] })
    const rows = rig.agents()
    for (const [index, member] of spawned.members.entries()) {
      expect(rows.find((row) => row.agent_id === ids[index])).toMatchObject({
        pane_id: member.pane_id,
        runtime: index < 2 ? "claude" : "codex"
      })
    }
  })

  it("warroom_status shows every member alive and registered", async () => {
    const status = await call("warroom_status", { name: "crew" })
    const members = status.result[0].members
    expect(
      members.map((member: { pane_alive: boolean; registered: boolean }) => [member.pane_alive, member.registered])
    ).toEqual([[true, true], [true, true], [true, true]])
  })

  it("a message to one Claude member wakes that member only, through its rewake hook", async () => {
    const sessionOf = (index: number): ClaudeSession => {
      const row = rig.agents().find((agent) => agent.agent_id === ids[index])!
      return {
        paneId: spawned.members[index].pane_id,
        agentId: row.agent_id,
        sessionId: row.session_id,
        cwd: repo,
        transcript: join(
          rig.home,
          ".claude",
          "projects",
          repo.replaceAll(/[^A-Za-z0-9]/g, "-"),
          `${row.session_id}.jsonl`
        )
      }
    }
    const [first, second] = [sessionOf(0), sessionOf(1)]
    await waitFor("the first member's waiter", 60, () => rig.hasWaiter(first.agentId) ? true : undefined)
    const secondTurns = claudeTurns(second).length
    const sender = await rig.sender()
    const at = Date.now()
    const sent = await sender.ok("send_message", { to: first.agentId, content: "SECRET-FOR-THE-FIRST" })
    expect(sent).toMatchObject({ wakes: [{ agent_id: first.agentId, wake: "rewake", pending: true }] })
    const turn = await waitFor(
      "the first member's turn",
      30,
      () => claudeTurns(first).find((entry) => entry.at >= at - 1000)
    )
    expect(turn.text).toContain("Stop hook feedback")
    expect(claudeTurns(second)).toHaveLength(secondTurns)
    expect(rig.wakesOf(ids[2]!)).toEqual([])
  })

  it("warroom_remove of one member closes its pane and takes it off the bus", async () => {
    const paneId = spawned.members[1].pane_id
    await call("warroom_remove", { name: "crew", member_id: spawned.members[1].warroom_member_id })
    expect(rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").split("\n")).not.toContain(paneId)
    await waitFor(
      "the removed member's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === ids[1]) ? undefined : true
    )
  })

  it("warroom_kill leaves no pane, no registration and no pid file behind", async () => {
    const panes = [spawned.members[0].pane_id, spawned.members[2].pane_id]
    await call("warroom_kill", { name: "crew" })
    const listed = rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").split("\n")
    for (const pane of panes) expect(listed).not.toContain(pane)
    await waitFor(
      "every member's registration to go",
      30,
      () => rig.agents().some((agent) => ids.includes(agent.agent_id)) ? undefined : true
    )
    await waitFor("every pid file to go", 30, () => {
      const pids = fs.existsSync(join(rig.busDir, "pids")) ? fs.readdirSync(join(rig.busDir, "pids")) : []
      return pids.length === 0 ? true : undefined
    }, () => fs.readdirSync(join(rig.busDir, "pids")).join(", "))
  })
})
