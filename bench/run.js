/**
 * `npm run bench`: measures the built `helioy-bus serve` through the MCP SDK Client over stdio, and `helioy-bus hook`
 * spawned as a runtime spawns it, in fresh temp bus dirs and a private tmux server, and prints one JSON object of
 * figures to stdout (progress goes to stderr).
 * Everything it starts is stopped and removed at the end, also on failure or Ctrl-C.
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { clearTimeout, setTimeout } from "node:timers"
import { setTimeout as sleep } from "node:timers/promises"
import {
  busBin,
  cleanUp,
  hasTmux,
  makeTempDir,
  memoryOf,
  onCleanup,
  percentile,
  progress,
  round,
  startServer,
  startTmux,
  timed,
  warroomBin
} from "./harness.js"

const coldStartRuns = 15
const sendRuns = 1000
const fanOutAgents = 100
const fanOutRuns = 5
const tmuxAgents = 50
const listRuns = 50
const inboxSize = 1000
const getRuns = 5
const senders = 8
const perSender = 500
const hookRuns = 20
const wakeRuns = 5
const idleWaitMs = 3000
const warroomMembers = 8
const warroomSpawnRuns = 3
const warroomStatusRuns = 30
const watchdogMs = 300_000

const root = makeTempDir("helioy-bench-")
const home = join(root, "home")
fs.mkdirSync(home)
const busDir = (name) => join(root, `bus-${name}`)

const median = (samples) => percentile(samples, 50)

/** Sends `count` messages from `server` to `to` with up to `width` requests in flight. */
const load = async (server, to, count, width = 32) => {
  let next = 0
  const lane = async () => {
    while (next < count) {
      const n = next++
      await server.call("send_message", { to, content: `filler ${n}`, nudge: false })
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
}

/** (a) Spawn to first tools/list answer. */
const coldStart = async () => {
  const dir = busDir("cold")
  const once = async () => {
    const { ms, value: server } = await timed(async () => {
      const server = await startServer({ home, busDir: dir, agentId: "cold" })
      const tools = await server.client.listTools()
      if (tools.tools.length === 0) throw new Error("tools/list returned no tools")
      return server
    })
    await server.close()
    return ms
  }
  await once() // warm the file cache; not counted
  const samples = []
  for (let run = 0; run < coldStartRuns; run++) samples.push(await once())
  return { coldStartMedianMs: round(median(samples)), coldStartP90Ms: round(percentile(samples, 90)), coldStartRuns }
}

/** (b) send_message round trips to one registered recipient. */
const sendRoundTrip = async () => {
  const dir = busDir("send")
  const server = await startServer({ home, busDir: dir, agentId: "alice" })
  await server.call("register_agent", { pwd: root, agent_id: "alice" })
  await server.call("register_agent", { pwd: root, agent_id: "bob" })
  for (let n = 0; n < 20; n++) await server.call("send_message", { to: "bob", content: `warm-up ${n}` })
  await server.call("get_messages", { agent_id: "bob" })
  const samples = []
  for (let n = 0; n < sendRuns; n++) {
    const { ms } = await timed(() => server.call("send_message", { to: "bob", content: `message ${n}` }))
    samples.push(ms)
  }
  const rss = memoryOf(server.pid)
  await server.close()
  return {
    sendP50Ms: round(percentile(samples, 50)),
    sendP99Ms: round(percentile(samples, 99)),
    sendMaxMs: round(Math.max(...samples)),
    sendRuns,
    sendServerRssAfterMb: rss.rssMb
  }
}

/** (c) One send to a role of 100 agents. */
const fanOut = async () => {
  const dir = busDir("fanout")
  const server = await startServer({ home, busDir: dir, agentId: "dispatcher" })
  await server.call("register_agent", { pwd: root, agent_id: "dispatcher", agent_type: "lead" })
  for (let n = 0; n < fanOutAgents; n++) {
    await server.call("register_agent", {
      pwd: root,
      agent_id: `worker-${String(n).padStart(3, "0")}`,
      agent_type: "worker"
    })
  }
  await server.call("send_message", { to: "role:worker", content: "warm-up" })
  const samples = []
  for (let run = 0; run < fanOutRuns; run++) {
    const { ms, value } = await timed(() =>
      server.call("send_message", { to: "role:worker", content: `to all ${run}` })
    )
    if (value.recipients.length !== fanOutAgents) throw new Error(`role send reached ${value.recipients.length} agents`)
    samples.push(ms)
  }
  await server.close()
  return { fanOut100MedianMs: round(median(samples)), fanOut100MaxMs: round(Math.max(...samples)), fanOutRuns }
}

/** (d) list_agents with 50 agents in live panes of a private tmux server. */
const listAgentsWithPanes = async () => {
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

/** (e) One get_messages of 1,000 waiting messages. */
const getThousand = async () => {
  const server = await startServer({ home, busDir: busDir("get"), agentId: "mailer" })
  await server.call("register_agent", { pwd: root, agent_id: "mailer" })
  await server.call("register_agent", { pwd: root, agent_id: "reader" })
  const samples = []
  for (let run = 0; run < getRuns; run++) {
    await load(server, "reader", inboxSize)
    const { ms, value } = await timed(() => server.call("get_messages", { agent_id: "reader", limit: inboxSize }))
    if (value.result.length !== inboxSize) throw new Error(`get_messages returned ${value.result.length} messages`)
    samples.push(ms)
  }
  await server.close()
  return { get1000MedianMs: round(median(samples)), get1000MaxMs: round(Math.max(...samples)), getRuns }
}

/** (f) 8 sender processes x 500 messages to one recipient: throughput, then loss, duplicates and order. */
const concurrentSenders = async () => {
  const dir = busDir("fanin")
  const reader = await startServer({ home, busDir: dir, agentId: "sink" })
  await reader.call("register_agent", { pwd: root, agent_id: "sink" })
  const servers = []
  for (let s = 0; s < senders; s++) {
    const server = await startServer({ home, busDir: dir, agentId: `sender-${s}` })
    await server.call("register_agent", { pwd: root, agent_id: `sender-${s}` })
    servers.push(server)
  }
  const latencies = []
  const { ms } = await timed(() =>
    Promise.all(servers.map(async (server, s) => {
      for (let seq = 0; seq < perSender; seq++) {
        const sent = await timed(() =>
          server.call("send_message", { to: "sink", content: JSON.stringify({ s, seq }), nudge: false })
        )
        latencies.push(sent.ms)
      }
    }))
  )
  const received = []
  for (;;) {
    const reply = await reader.call("get_messages", { agent_id: "sink", limit: 1000 })
    received.push(...reply.result)
    if (reply.remaining === 0) break
  }
  const seen = new Map()
  const ids = new Set()
  const lastSeq = new Map()
  let duplicatedIds = 0
  let reordered = 0
  for (const message of received) {
    if (ids.has(message.id)) duplicatedIds++
    ids.add(message.id)
    const { s, seq } = JSON.parse(message.content)
    const key = `${s}/${seq}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
    if (seq < (lastSeq.get(s) ?? -1)) reordered++
    lastSeq.set(s, Math.max(seq, lastSeq.get(s) ?? -1))
  }
  const total = senders * perSender
  let lost = 0
  for (let s = 0; s < senders; s++) for (let seq = 0; seq < perSender; seq++) if (!seen.has(`${s}/${seq}`)) lost++
  const duplicated = [...seen.values()].reduce((sum, count) => sum + count - 1, 0)
  for (const server of servers) await server.close()
  await reader.close()
  return {
    concurrentSenders: senders,
    concurrentMessages: total,
    concurrentThroughputMsgsPerS: round(total / (ms / 1000)),
    concurrentSendP50Ms: round(percentile(latencies, 50)),
    concurrentSendP99Ms: round(percentile(latencies, 99)),
    concurrentReceived: received.length,
    concurrentLost: lost,
    concurrentDuplicated: Math.max(duplicated, duplicatedIds),
    concurrentReorderedPerSender: reordered
  }
}

/** (g) Resident memory of an idle server after startup and a few calls. */
const idleMemory = async () => {
  const server = await startServer({ home, busDir: busDir("idle"), agentId: "idler" })
  await server.call("register_agent", { pwd: root, agent_id: "idler" })
  await server.call("register_agent", { pwd: root, agent_id: "peer" })
  await server.call("whoami")
  await server.call("list_agents")
  await server.call("send_message", { to: "peer", content: "hello" })
  await server.call("get_messages", { agent_id: "peer" })
  await server.call("heartbeat")
  await sleep(1000)
  const memory = memoryOf(server.pid)
  await server.close()
  return { idleRssMb: memory.rssMb, idlePeakRssMb: memory.peakRssMb }
}

/** The environment of a hook: HOME, HELIOY_BUS_DIR and `env` only (no TMUX, no HELIOY_* of the caller). */
const hookEnv = (dir, env) => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, HELIOY_BUS_DIR: dir, ...env })

/** Starts `helioy-bus hook <event>` with `event` on stdin; `exited` resolves with code, stdout, stderr. */
const startHook = (hook, event, dir, env = {}) => {
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

/** Runs a hook to its end, timed from spawn to exit. */
const runHook = (hook, event, dir, env) => timed(() => startHook(hook, event, dir, env).exited)

/** A Claude Code UserPromptSubmit event. */
const promptEvent = (sessionId) => ({
  session_id: sessionId,
  transcript_path: join(home, ".claude", "projects", "-bench", `${sessionId}.jsonl`),
  cwd: root,
  permission_mode: "default",
  hook_event_name: "UserPromptSubmit",
  prompt: "what changed?"
})

/** p50/p90 of `hookRuns` timed runs of a hook (after two warm-ups), each checked by `expectResult`. */
const hookSamples = async (hook, event, dir, env, expectResult) => {
  const samples = []
  for (let run = 0; run < hookRuns + 2; run++) {
    const { ms, value } = await runHook(hook, event, dir, env)
    expectResult(value)
    if (run >= 2) samples.push(ms)
  }
  return { p50: round(percentile(samples, 50)), p90: round(percentile(samples, 90)) }
}

/** (h) `hook user-prompt-submit` latency: no mail (the fast path, agent from HELIOY_AGENT_ID or a pid file) and with mail. */
const hookLatency = async () => {
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

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU time (user + system) a process has used so far, in ms, from /proc (null where /proc is missing). */
const cpuMsOf = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
  } catch {
    return null
  }
}

/** Resolves once `path` exists (polled every 10 ms, up to 10 s). */
const fileAppears = async (path) => {
  for (let step = 0; step < 1000; step++) {
    if (fs.existsSync(path)) return
    await sleep(10)
  }
  throw new Error(`${path} did not appear`)
}

/** (i) wait-mail: message-to-wake latency, and the CPU an idle waiter burns before its message. */
const waitMailWake = async () => {
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

/** A fake `claude` for warroom panes: registers through the SessionStart hook (as Claude Code's would), then waits. */
const fakeClaude = (log) =>
  `#!/bin/sh
HELIOY_BUS_CLAUDE_PID=$$
export HELIOY_BUS_CLAUDE_PID
printf '{"session_id":"bench-%s","transcript_path":"","cwd":"%s","hook_event_name":"SessionStart","source":"startup"}\\n' "$$" "$(pwd)" \\
  | '${process.execPath}' '${busBin}' hook session-start >/dev/null 2>>'${log}'
exec sleep 600
`

/** Resolves once `count` pid files not in `before` exist (each member writes one when registered; 10 ms polls, up to 20 s). */
const pidFilesAppear = async (pidsDir, before, count) => {
  for (let step = 0; step < 2000; step++) {
    const names = fs.existsSync(pidsDir) ? fs.readdirSync(pidsDir) : []
    if (names.filter((name) => !before.has(name)).length >= count) return
    await sleep(10)
  }
  throw new Error(`${count} warroom members did not register within 20 s`)
}

/** (j) warroom_spawn of 8 fake-claude members until all 8 registered, then warroom_status with 8 members. */
const warroomEight = async () => {
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

const tmuxVersion = () => {
  try {
    return execFileSync("tmux", ["-V"], { encoding: "utf8" }).trim()
  } catch {
    return null
  }
}

const main = async () => {
  const started = performance.now()
  const figures = {}
  const steps = [
    ["cold start", coldStart],
    ["send round trip", sendRoundTrip],
    ["fan-out to a role of 100", fanOut],
    ["list_agents with 50 tmux agents", listAgentsWithPanes],
    ["get_messages of 1000", getThousand],
    ["8 concurrent senders", concurrentSenders],
    ["idle memory", idleMemory],
    ["hook latency", hookLatency],
    ["wait-mail wake", waitMailWake],
    ["warroom of 8", warroomEight]
  ]
  for (const [name, step] of steps) {
    progress(`${name}...`)
    const { ms, value } = await timed(step)
    Object.assign(figures, value)
    progress(`${name}: done in ${(ms / 1000).toFixed(1)} s`)
  }
  const known = (value) => value !== null && value !== undefined
  const atMost = (value, limit) => ({ value, goal: `<= ${limit}`, met: known(value) && value <= limit })
  const atLeast = (value, limit) => ({ value, goal: `>= ${limit}`, met: known(value) && value >= limit })
  const below = (value, limit) => ({ value, goal: `< ${limit}`, met: known(value) && value < limit })
  const goals = {
    sendServerRssAfterMb: atMost(figures.sendServerRssAfterMb, 80),
    coldStartMedianMs: atMost(figures.coldStartMedianMs, 250),
    sendP50Ms: atMost(figures.sendP50Ms, 1.5),
    concurrentThroughputMsgsPerS: atLeast(figures.concurrentThroughputMsgsPerS, 1500),
    concurrentLostPlusDuplicated: below(figures.concurrentLost + figures.concurrentDuplicated, 1),
    fanOut100MedianMs: atMost(figures.fanOut100MedianMs, 20),
    listAgents50P50Ms: below(figures.listAgents50P50Ms, 20),
    get1000MedianMs: below(figures.get1000MedianMs, 40),
    idleRssMb: below(figures.idleRssMb, 80),
    hookNoMailP50Ms: below(figures.hookNoMailP50Ms, 60),
    hookNoMailPidFileP50Ms: below(figures.hookNoMailPidFileP50Ms, 60)
  }
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
