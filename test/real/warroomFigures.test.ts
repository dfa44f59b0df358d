/**
 * Figures, not checks of behaviour (run with `npm run bench:real`): how long a warroom of 2, 4 and 8 real Claude
 * Code members takes from spawn to every member registered and at its prompt (median of 3), and how often what the
 * spawn reported matched what really ran.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { warroomBin } from "../support/warroomRig.js"
import { seedClaude } from "./support/claudeSession.js"
import { figure, median } from "./support/figures.js"
import { type RealRig, startRealRig } from "./support/realRig.js"

let rig: RealRig
let repo: string
let warroom: Client

beforeAll(async () => {
  rig = await startRealRig()
  repo = rig.repo("fig")
  seedClaude(rig, [repo])
  const lead = rig.tmux.run("list-panes", "-t", "=rig:0", "-F", "#{pane_id}").trim()
  warroom = new Client({ name: "helioy-real-figures", version: "0" })
  await warroom.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [warroomBin, "serve"],
      env: { ...rig.env, TMUX_TMPDIR: rig.tmux.tmpdir, TMUX_PANE: lead },
      cwd: repo
    })
  )
})

afterAll(async () => {
  await warroom?.close()
  await rig?.close()
  removeTempDirs()
})

const call = async (name: string, args: Record<string, unknown>) => {
  const result = (await warroom.callTool({ name, arguments: args })) as CallToolResult
  if (result.isError) throw new Error(JSON.stringify(result.content))
  return result.structuredContent as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe.skipIf(process.env.HELIOY_REAL_FIGURES !== "1")("warroom spawn of real Claude Code members", () => {
  it("spawn to all registered, for 2, 4 and 8 members (median of 3); reported state against the real state", async () => {
    let spawns = 0
    let matched = 0
    for (const size of [2, 4, 8]) {
      const times: Array<number> = []
      for (let run = 0; run < 3; run++) {
        const started = Date.now()
        const spawned = await call("warroom_spawn", {
          name: `fig${size}-${run}`,
          agents: Array(size).fill("general"),
          cwd: repo,
          wait_seconds: 180
        })
        times.push(Date.now() - started)
        spawns++
        const live = new Set(rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").trim().split("\n"))
        const registered = new Set(rig.agents().map((agent) => agent.agent_id))
        const real = spawned.members.every((member: { agent_id: string; pane_id: string; state: string }) =>
          (member.state === "ready") === (registered.has(member.agent_id) && live.has(member.pane_id))
        )
        if (real) matched++
        await call("warroom_kill", { name: `fig${size}-${run}` })
      }
      figure("warroom-spawn-real-claude", { members: size, spawnToAllRegisteredMedianMs: median(times), runsMs: times })
    }
    figure("warroom-reported-state", { spawns, matchedShare: matched / spawns })
    expect(spawns).toBe(9)
  })
})
