/**
 * (d) list_agents with 50 agents registered in live panes of a private tmux server (skipped without tmux).
 */
import { startServer } from "../support/server.js"
import { percentile, round, timed } from "../support/stats.js"
import { hasTmux, startTmux } from "../support/tmux.js"
import { busDir, home, root } from "../support/workspace.js"

const tmuxAgents = 50
const listRuns = 50

/** (d) list_agents with 50 agents in tmux panes, p50 and p90; rejects on a tmux or tool error or a short list. */
export const listAgentsWithPanes = async () => {
  if (!hasTmux()) return { listAgents50P50Ms: null, listAgentsSkipped: "tmux not on PATH" }
  const tmux = startTmux(root, "bench", ["sleep", "600"])
  for (let n = 1; n < tmuxAgents; n++) tmux.run("new-window", "-d", "-t", "bench", "sleep", "600")
  const panes = tmux.run("list-panes", "-a", "-F", "#{pane_id} #{session_name}:#{window_index}.#{pane_index}")
    .trim().split("\n").map((line) => line.split(" "))
  if (panes.length !== tmuxAgents) throw new Error(`expected ${tmuxAgents} panes, tmux lists ${panes.length}`)
  const server = await startServer({ home, busDir: busDir("tmux"), agentId: "observer", env: tmux.env })
  for (const [n, [paneId, target]] of panes.entries()) {
    await server.call("register_agent", {
      pwd: root,
      agent_id: `pane-agent-${n}`,
      pane_id: paneId,
      tmux_target: target,
      runtime: "claude"
    })
  }
  for (let n = 0; n < 3; n++) await server.call("list_agents")
  const samples = []
  for (let run = 0; run < listRuns; run++) {
    const { ms, value } = await timed(() => server.call("list_agents"))
    if (value.result.length !== tmuxAgents) throw new Error(`list_agents returned ${value.result.length} agents`)
    samples.push(ms)
  }
  await server.close()
  return {
    listAgents50P50Ms: round(percentile(samples, 50)),
    listAgents50P90Ms: round(percentile(samples, 90)),
    listRuns
  }
}
