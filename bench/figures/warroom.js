/**
 * (j) helioy-warroom: warroom_spawn of 8 fake-claude members in a private tmux server until all 8 registered, then
 * warroom_status of those 8 (skipped without tmux).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { busBin, startServer, warroomBin } from "../support/server.js"
import { median, percentile, round, timed } from "../support/stats.js"
import { hasTmux, startTmux } from "../support/tmux.js"
import { busDir, home, root } from "../support/workspace.js"

const warroomMembers = 8
const warroomSpawnRuns = 3
const warroomStatusRuns = 30

/** A fake `claude` for warroom panes: registers through the SessionStart hook (as Claude Code's would), then waits. */
const fakeClaude = (log) =>
  `#!/bin/sh
HELIOY_BUS_CLAUDE_PID=$$
export HELIOY_BUS_CLAUDE_PID
printf '{"session_id":"bench-%s","transcript_path":"","cwd":"%s","hook_event_name":"SessionStart","source":"startup"}\\n' "$$" "$(pwd)" \\
  | '${process.execPath}' '${busBin}' hook session-start >/dev/null 2>>'${log}'
exec sleep 600
`

/** Resolves once `count` pid files not in `before` exist (one per registered member; 10 ms polls, up to 20 s). */
const pidFilesAppear = async (pidsDir, before, count) => {
  for (let step = 0; step < 2000; step++) {
    const names = fs.existsSync(pidsDir) ? fs.readdirSync(pidsDir) : []
    if (names.filter((name) => !before.has(name)).length >= count) return
    await sleep(10)
  }
  throw new Error(`${count} warroom members did not register within 20 s`)
}

/** (j) warroom_spawn of 8 until registered, then warroom_status; rejects on a tool error or a member late by 20 s. */
export const warroomEight = async () => {
  if (!hasTmux()) return { warroomSpawn8MedianMs: null, warroomSkipped: "tmux not on PATH" }
  const dir = busDir("warroom")
  const binDir = join(root, "warroom-bin")
  fs.mkdirSync(binDir)
  fs.writeFileSync(join(binDir, "claude"), fakeClaude(join(root, "warroom-hook.log")), { mode: 0o755 })
  const path = `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}`
  const tmux = startTmux(root, "bench-warroom", ["sleep", "600"])
  tmux.run("set-environment", "-g", "PATH", path)
  const server = await startServer({
    home,
    busDir: dir,
    bin: warroomBin,
    env: { ...tmux.env, PATH: path, TMUX_PANE: tmux.firstPane }
  })
  const agents = Array.from({ length: warroomMembers }, () => "general")
  const pidsDir = join(dir, "pids")
  const spawnSamples = []
  const callSamples = []
  for (let run = 0; run < warroomSpawnRuns; run++) {
    const before = new Set(fs.existsSync(pidsDir) ? fs.readdirSync(pidsDir) : [])
    const { ms } = await timed(async () => {
      // The fake members never show a prompt: the call does not wait for readiness; the bench waits for registration.
      callSamples.push(
        (await timed(() => server.call("warroom_spawn", { name: "bench", agents, cwd: root, wait_seconds: 0 }))).ms
      )
      await pidFilesAppear(pidsDir, before, warroomMembers)
    })
    spawnSamples.push(ms)
  }
  const statusSamples = []
  for (let run = 0; run < warroomStatusRuns; run++) {
    const { ms, value } = await timed(() => server.call("warroom_status", { name: "bench" }))
    const members = value.result[0].members
    if (members.length !== warroomMembers || !members.every((m) => m.registered)) {
      throw new Error("warroom_status: members not all registered")
    }
    statusSamples.push(ms)
  }
  await server.call("warroom_kill", { kill_all: true })
  await server.close()
  return {
    warroomSpawn8MedianMs: round(median(spawnSamples)),
    warroomSpawn8MaxMs: round(Math.max(...spawnSamples)),
    warroomSpawn8CallMedianMs: round(median(callSamples)),
    warroomSpawnRuns,
    warroomStatus8P50Ms: round(percentile(statusSamples, 50)),
    warroomStatus8P90Ms: round(percentile(statusSamples, 90)),
    warroomStatusRuns
  }
}
