/**
 * (h) `helioy-bus hook user-prompt-submit` as Claude Code spawns it: latency with no mail (agent found from
 * HELIOY_AGENT_ID or from a pid file) and with mail waiting.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { hookRuns, hookSamples, promptEvent, runHook } from "../support/hooks.js"
import { startServer } from "../support/server.js"
import { busDir, home } from "../support/workspace.js"

/** (h) user-prompt-submit p50/p90: no mail (env, pid file) and with mail; rejects if a hook's output is wrong. */
export const hookLatency = async () => {
  const dir = busDir("hook")
  const event = promptEvent("bench-hook-session")
  const started = await runHook(
    "session-start",
    { ...event, hook_event_name: "SessionStart", source: "startup" },
    dir,
    {}
  )
  if (started.value.code !== 0 || !started.value.stdout.includes("SessionStart")) {
    throw new Error(`session-start failed: ${JSON.stringify(started.value)}`)
  }
  const agentId = fs.readFileSync(join(dir, "pids", String(process.pid)), "utf8")
  const quiet = (result) => {
    if (result.code !== 0 || result.stdout !== "") {
      throw new Error(`hook with no mail printed: ${JSON.stringify(result)}`)
    }
  }
  const byEnv = await hookSamples("user-prompt-submit", event, dir, { HELIOY_AGENT_ID: agentId }, quiet)
  const byPidFile = await hookSamples("user-prompt-submit", event, dir, {}, quiet)
  const server = await startServer({ home, busDir: dir, agentId: "bench:mailer" })
  await server.call("send_message", { to: agentId, content: "mail for the hook", nudge: false })
  await server.close()
  const withMail = await hookSamples("user-prompt-submit", event, dir, { HELIOY_AGENT_ID: agentId }, (result) => {
    if (result.code !== 0 || !result.stdout.includes("1 unread message(s)")) {
      throw new Error(`hook with mail printed: ${JSON.stringify(result)}`)
    }
  })
  return {
    hookNoMailP50Ms: byEnv.p50,
    hookNoMailP90Ms: byEnv.p90,
    hookNoMailPidFileP50Ms: byPidFile.p50,
    hookNoMailPidFileP90Ms: byPidFile.p90,
    hookWithMailP50Ms: withMail.p50,
    hookWithMailP90Ms: withMail.p90,
    hookRuns
  }
}
