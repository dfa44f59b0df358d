/**
 * (h') `helioy-bus hook before-agent` as Gemini CLI spawns it before each turn (its BeforeAgent payload and
 * variables, the agent found from the pid file of its Gemini process): latency with no mail and with mail waiting.
 */
import { join } from "node:path"
import { hookSamples, runHook } from "../support/hooks.js"
import { startServer } from "../support/server.js"
import { busDir, home, root } from "../support/workspace.js"

const sessionId = "71616368-9d23-4c54-9218-e654585f881d"

/** Gemini CLI 0.61's payload of `hookEventName` for the bench session. */
const geminiEvent = (hookEventName, extra) => ({
  session_id: sessionId,
  transcript_path: join(home, ".gemini", "tmp", "bench", "chats", "session-2026-12-01T17-40-71616368.jsonl"),
  cwd: root,
  hook_event_name: hookEventName,
  timestamp: "2026-12-01T17:40:37.799Z",
  ...extra
})

const geminiEnv = { GEMINI_SESSION_ID: sessionId, GEMINI_PROJECT_DIR: root, GEMINI_CWD: root }

/** BeforeAgent p50/p90 with no mail and with mail; rejects if a hook's output is wrong. */
export const geminiHookLatency = async () => {
  const dir = busDir("gemini-hook")
  const started = await runHook("session-start", geminiEvent("SessionStart", { source: "startup" }), dir, geminiEnv)
  if (started.value.code !== 0 || !started.value.stdout.includes("SessionStart")) {
    throw new Error(`session-start failed: ${JSON.stringify(started.value)}`)
  }
  const agentId = /you are '([^']+)'/.exec(started.value.stdout)?.[1]
  const event = geminiEvent("BeforeAgent", { prompt: "hi" })
  const noMail = await hookSamples("before-agent", event, dir, geminiEnv, (result) => {
    if (result.code !== 0 || result.stdout !== "") {
      throw new Error(`hook with no mail printed: ${JSON.stringify(result)}`)
    }
  })
  const server = await startServer({ home, busDir: dir, agentId: "bench:mailer" })
  await server.call("send_message", { to: agentId, content: "mail for the hook", nudge: false })
  await server.close()
  const withMail = await hookSamples("before-agent", event, dir, geminiEnv, (result) => {
    if (result.code !== 0 || !result.stdout.includes("\"BeforeAgent\"") || !result.stdout.includes("1 unread")) {
      throw new Error(`hook with mail printed: ${JSON.stringify(result)}`)
    }
  })
  return {
    geminiBeforeAgentNoMailP50Ms: noMail.p50,
    geminiBeforeAgentNoMailP90Ms: noMail.p90,
    geminiBeforeAgentWithMailP50Ms: withMail.p50,
    geminiBeforeAgentWithMailP90Ms: withMail.p90
  }
}
