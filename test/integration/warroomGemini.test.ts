/**
 * Warroom members that run Gemini CLI (`gemini/<agent>`), from `helioy-warroom` in a shell against a real tmux server
 * on a private socket: the members are fake `gemini` processes that register through the bus's SessionStart hook with
 * Gemini CLI's payload, as the real one's hook does.
 */
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { geminiRolePrompt } from "../../src/layers/GeminiAdapter.js"
import { removeTempDirs } from "../support/mcpClient.js"
import { makeWarroomRig, type WarroomRig } from "../support/warroomRig.js"

const rigs: Array<WarroomRig> = []

afterEach(() => {
  for (const made of rigs.splice(0)) made.kill()
  removeTempDirs()
})

const ok = (result: { status: number | null; stdout: string; stderr: string }) => {
  if (result.status !== 0) throw new Error(`exit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  return result.stdout
}

describe("warroom members on Gemini CLI", () => {
  it("gemini/reviewer and gemini/general start `gemini` in their panes (a specialist with its agent file named in its first prompt) and register as runtime gemini; a Claude member beside them stays on claude", async () => {
    const r = makeWarroomRig()
    rigs.push(r)
    const out = ok(r.cli(["spawn", "mixed", "--agents", "gemini/reviewer gemini/general qa"]))
    expect(out).toContain("mixed ready: 3 agents (user:reviewer, general, user:qa) in proj")
    const ids = ["proj:user:reviewer:mixed.0", "proj:general:mixed.1", "proj:user:qa:mixed.2"]
    await r.waitRegistered(ids)
    expect(r.agents().map((row) => [row.agent_id, row.runtime])).toEqual([
      ["proj:general:mixed.1", "gemini"],
      ["proj:user:qa:mixed.2", "claude"],
      ["proj:user:reviewer:mixed.0", "gemini"]
    ])
    const panes = r.panesOf("mixed")
    const reviewer = await r.tmux.waitForPane(panes[0]!.id, (text) => text.includes("READY"), "reviewer to start")
    const agentFile = join(r.home, ".claude", "agents", "reviewer.md")
    expect(reviewer).toContain(
      `ID=${ids[0]}\nTYPE=user:reviewer\nRT=gemini\nPWD=${r.dirs.proj}\nARGS=--prompt-interactive ${
        geminiRolePrompt(agentFile)
      }\n`
    )
    const general = await r.tmux.waitForPane(panes[1]!.id, (text) => text.includes("READY"), "general to start")
    expect(general).toContain(`ID=${ids[1]}\nTYPE=general\nRT=gemini\nPWD=${r.dirs.proj}\nARGS=\n`)
    const status = JSON.parse(ok(r.cli(["status", "mixed", "--json"])))
    expect(status.result[0].members.map((m: { desired_runtime: string }) => m.desired_runtime)).toEqual([
      "gemini",
      "gemini",
      "claude"
    ])
  })
})
