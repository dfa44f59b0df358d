/**
 * `helioy-bus hook <name>` spawned as a runtime spawns it: an event on stdin, a clean environment, its exit code
 * and output collected; and the Claude Code event the hook figures send.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { onCleanup } from "./cleanup.js"
import { busBin } from "./server.js"
import { percentile, round, timed } from "./stats.js"
import { home, root } from "./workspace.js"

/** How many timed runs `hookSamples` makes of a hook (after two warm-ups). */
export const hookRuns = 20

/** The environment of a hook: HOME, HELIOY_BUS_DIR and `env` only (no TMUX, no HELIOY_* of the caller). */
const hookEnv = (dir, env) => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, HELIOY_BUS_DIR: dir, ...env })

/** Starts `helioy-bus hook <hook>` with `event` on stdin; `exited` resolves with code and output, rejects on spawn. */
export const startHook = (hook, event, dir, env = {}) => {
  const child = spawn(process.execPath, [busBin, "hook", hook], {
    env: hookEnv(dir, env),
    stdio: ["pipe", "pipe", "pipe"]
  })
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => {
    stdout += chunk.toString("utf8")
  })
  child.stderr.on("data", (chunk) => {
    stderr += chunk.toString("utf8")
  })
  const exited = new Promise((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code) => resolve({ code, stdout, stderr }))
  })
  child.stdin.end(JSON.stringify(event))
  return { pid: child.pid, exited }
}

/** Runs a hook to its end, timed from spawn to exit; rejects if it cannot be spawned (any exit code resolves). */
export const runHook = (hook, event, dir, env) => timed(() => startHook(hook, event, dir, env).exited)

/** A Claude Code UserPromptSubmit event for `sessionId`; never fails. */
export const promptEvent = (sessionId) => ({
  session_id: sessionId,
  transcript_path: join(home, ".claude", "projects", "-bench", `${sessionId}.jsonl`),
  cwd: root,
  permission_mode: "default",
  hook_event_name: "UserPromptSubmit",
  prompt: "what changed?"
})

/** p50/p90 of `hookRuns` timed runs of a hook after two warm-ups; rejects as `expectResult` throws on a run. */
export const hookSamples = async (hook, event, dir, env, expectResult) => {
  const samples = []
  for (let run = 0; run < hookRuns + 2; run++) {
    const { ms, value } = await runHook(hook, event, dir, env)
    expectResult(value)
    if (run >= 2) samples.push(ms)
  }
  return { p50: round(percentile(samples, 50)), p90: round(percentile(samples, 90)) }
}
