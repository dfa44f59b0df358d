/**
 * `npm run bench`: measures the built `helioy-bus serve` through the MCP SDK Client over stdio, and `helioy-bus hook`
 * spawned as a runtime spawns it, in fresh temp bus dirs and a private tmux server, and prints one JSON object of
 * figures to stdout (progress goes to stderr).
 * Everything it starts is stopped and removed at the end, also on failure or Ctrl-C.
 * The figures are in bench/figures/, what they share in bench/support/, the goals beside them in bench/goals.js.
 */
import * as os from "node:os"
import { performance } from "node:perf_hooks"
import { clearTimeout, setTimeout } from "node:timers"
import { coldStart } from "./figures/coldStart.js"
import { concurrentSenders } from "./figures/concurrentSenders.js"
import { deliveryStatus } from "./figures/deliveryStatus.js"
import { geminiHookLatency } from "./figures/geminiHookLatency.js"
import { hookLatency } from "./figures/hookLatency.js"
import { idleMemory } from "./figures/idleMemory.js"
import { listAgentsWithPanes } from "./figures/listAgents.js"
import { fanOut, getThousand, sendRoundTrip } from "./figures/messaging.js"
import { waitMailWake } from "./figures/waitMailWake.js"
import { warroomEight } from "./figures/warroom.js"
import { goalsOf } from "./goals.js"
import { cleanUp, progress } from "./support/cleanup.js"
import { round, timed } from "./support/stats.js"
import { tmuxVersion } from "./support/tmux.js"

const watchdogMs = 300_000

const steps = [
  ["cold start", coldStart],
  ["send round trip", sendRoundTrip],
  ["fan-out to a role of 100", fanOut],
  ["list_agents with 50 tmux agents", listAgentsWithPanes],
  ["get_messages of 1000", getThousand],
  ["delivery status", deliveryStatus],
  ["8 concurrent senders", concurrentSenders],
  ["idle memory", idleMemory],
  ["hook latency", hookLatency],
  ["Gemini BeforeAgent hook latency", geminiHookLatency],
  ["wait-mail wake", waitMailWake],
  ["warroom of 8", warroomEight]
]

/** Runs the figures in order, then returns machine, figures, goals and timing; rejects as soon as a figure fails. */
const main = async () => {
  const started = performance.now()
  const figures = {}
  for (const [name, step] of steps) {
    progress(`${name}...`)
    const { ms, value } = await timed(step)
    Object.assign(figures, value)
    progress(`${name}: done in ${(ms / 1000).toFixed(1)} s`)
  }
  const goals = goalsOf(figures)
  return {
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      tmux: tmuxVersion(),
      loadAverage1m: round(os.loadavg()[0])
    },
    figures,
    goals,
    allGoalsMet: Object.values(goals).every((entry) => entry.met),
    benchSeconds: round((performance.now() - started) / 1000)
  }
}

const abort = (reason, code) => {
  progress(reason)
  void cleanUp().finally(() => process.exit(code))
}

process.once("SIGINT", () => abort("interrupted; cleaning up", 130))
process.once("SIGTERM", () => abort("terminated; cleaning up", 143))
const watchdog = setTimeout(() => abort(`took longer than ${watchdogMs / 1000} s; cleaning up`, 1), watchdogMs)

try {
  const result = await main()
  for (const [name, { goal, met, value }] of Object.entries(result.goals)) {
    progress(`${met ? "met    " : "MISSED "} ${name}: ${value} (goal ${goal})`)
  }
  process.stdout.write(JSON.stringify(result, null, 2) + "\n")
  process.exitCode = 0
} catch (error) {
  progress(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  clearTimeout(watchdog)
  await cleanUp()
}
