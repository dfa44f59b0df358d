/**
 * (i) `helioy-bus hook wait-mail` as Codex's Stop hook: message-to-wake latency, and the CPU and memory an idle
 * waiter uses before its message comes.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { promptEvent, startHook } from "../support/hooks.js"
import { cpuMsOf, memoryOf } from "../support/proc.js"
import { startServer } from "../support/server.js"
import { median, round } from "../support/stats.js"
import { busDir, home, root } from "../support/workspace.js"

const wakeRuns = 5
const idleWaitMs = 3000

/** Resolves once `path` exists (polled every 10 ms); rejects if it has not appeared after 10 s. */
const fileAppears = async (path) => {
  for (let step = 0; step < 1000; step++) {
    if (fs.existsSync(path)) return
    await sleep(10)
  }
  throw new Error(`${path} did not appear`)
}

/** (i) wait-mail wake latency (median, max), idle CPU and RSS; rejects if the waiter ends without its wake-up. */
export const waitMailWake = async () => {
  const dir = busDir("wake")
  const agentId = "bench:sleeper"
  const server = await startServer({ home, busDir: dir, agentId: "bench:waker" })
  // Codex's hooks share one daemon's environment: the waiter finds its agent by the event's session id.
  await server.call("register_agent", {
    pwd: root,
    agent_id: agentId,
    runtime: "codex",
    session_id: "bench-wake-session"
  })
  // No wake throttle: each run measures a wake, not the 30 s wait for the next wake slot.
  const waiterEnv = {
    HELIOY_AGENT_ID: agentId,
    HELIOY_RUNTIME: "codex",
    HELIOY_BUS_CODEX_PID: String(process.pid),
    HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "0"
  }
  const event = { ...promptEvent("bench-wake-session"), hook_event_name: "Stop", stop_hook_active: false }
  const samples = []
  let idleCpuMs = null
  let waiterRssMb = null
  for (let run = 0; run < wakeRuns; run++) {
    const waiter = startHook("wait-mail", event, dir, waiterEnv)
    await fileAppears(join(dir, "inbox", agentId, ".waiter"))
    if (run === 0) {
      const before = cpuMsOf(waiter.pid)
      await sleep(idleWaitMs)
      const after = cpuMsOf(waiter.pid)
      idleCpuMs = before === null || after === null ? null : round(after - before)
      waiterRssMb = memoryOf(waiter.pid).rssMb
    }
    const start = performance.now()
    await server.call("send_message", { to: agentId, content: `wake up ${run}`, nudge: false })
    const result = await waiter.exited
    samples.push(performance.now() - start)
    if (result.code !== 2 || !result.stderr.includes("new message(s)")) {
      throw new Error(`wait-mail ended: ${JSON.stringify(result)}`)
    }
    await server.call("get_messages", { agent_id: agentId })
  }
  await server.close()
  return {
    waitMailWakeMedianMs: round(median(samples)),
    waitMailWakeMaxMs: round(Math.max(...samples)),
    waitMailIdleCpuMs: idleCpuMs,
    waitMailIdleSeconds: idleWaitMs / 1000,
    waitMailRssMb: waiterRssMb,
    wakeRuns
  }
}
