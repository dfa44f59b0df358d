/**
 * The same figures on the file bus and on a PostgreSQL bus (two "hosts": HELIOY_HOST differs between sender and
 * recipient): send_message p50/p99, one send to a role of 100, 16 senders x 500 messages, and the wake of a
 * wait-mail waiter by a send (across hosts on PostgreSQL).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import pg from "pg"
import { promptEvent, startHook } from "../support/hooks.js"
import { startServer } from "../support/server.js"
import { median, percentile, round, timed } from "../support/stats.js"
import { busDir, home, root } from "../support/workspace.js"

const sendRuns = 300
const fanOutAgents = 100
const fanOutRuns = 5
const senders = 16
const perSender = 500
const wakeRuns = 5

/** Resolves once `ready()` is true (polled every 10 ms); rejects after 10 s. */
const until = async (ready, what) => {
  for (let step = 0; step < 1000; step++) {
    if (await ready()) return
    await sleep(10)
  }
  throw new Error(`${what} did not happen`)
}

/** The figures on one bus: `where(name, host)` gives a server's bus dir and environment for figure `name`. */
const figuresOn = async (where, armed) => {
  const start = (name, host, agentId) => {
    const place = where(name, host)
    return startServer({ home, busDir: place.busDir, agentId, env: { ...place.env, HELIOY_BUS_LOG_LEVEL: "warning" } })
  }
  const a = await start("send", "host-a", "alice")
  const b = await start("send", "host-b", "bob")
  await a.call("register_agent", { pwd: root, agent_id: "alice" })
  await b.call("register_agent", { pwd: root, agent_id: "bob" })
  for (let n = 0; n < 20; n++) await a.call("send_message", { to: "bob", content: `warm-up ${n}`, nudge: false })
  const sends = []
  for (let n = 0; n < sendRuns; n++) {
    sends.push((await timed(() => a.call("send_message", { to: "bob", content: `m${n}`, nudge: false }))).ms)
  }
  await Promise.all([a.close(), b.close()])

  const dispatcher = await start("fanout", "host-a", "dispatcher")
  const workers = await start("fanout", "host-b", "worker-000")
  for (let n = 0; n < fanOutAgents; n++) {
    await workers.call("register_agent", {
      pwd: root,
      agent_id: `worker-${String(n).padStart(3, "0")}`,
      agent_type: "worker"
    })
  }
  await dispatcher.call("send_message", { to: "role:worker", content: "warm-up", nudge: false })
  const fanOuts = []
  for (let run = 0; run < fanOutRuns; run++) {
    const { ms, value } = await timed(() =>
      dispatcher.call("send_message", { to: "role:worker", content: `all ${run}`, nudge: false })
    )
    if (value.recipients.length !== fanOutAgents) throw new Error(`role send reached ${value.recipients.length}`)
    fanOuts.push(ms)
  }
  await Promise.all([dispatcher.close(), workers.close()])

  const sink = await start("fanin", "host-b", "sink")
  await sink.call("register_agent", { pwd: root, agent_id: "sink" })
  const servers = await Promise.all(Array.from({ length: senders }, (_, s) => start("fanin", "host-a", `sender-${s}`)))
  const { ms: fanInMs } = await timed(() =>
    Promise.all(servers.map(async (server, s) => {
      for (let seq = 0; seq < perSender; seq++) {
        await server.call("send_message", { to: "sink", content: `${s}/${seq}`, nudge: false })
      }
    }))
  )
  const received = new Set()
  for (;;) {
    const reply = await sink.call("get_messages", { agent_id: "sink", limit: 1000 })
    for (const message of reply.result) received.add(message.id)
    if (reply.result.length === 0) break
  }
  await Promise.all([sink.close(), ...servers.map((server) => server.close())])

  const waker = await start("wake", "host-a", "waker")
  const sleeperPlace = where("wake", "host-b")
  const registrar = await start("wake", "host-b", "sleeper")
  await registrar.call("register_agent", { pwd: root, agent_id: "sleeper", runtime: "codex", session_id: "bench-wake" })
  const event = { ...promptEvent("bench-wake"), hook_event_name: "Stop", stop_hook_active: false }
  const wakes = []
  for (let run = 0; run < wakeRuns; run++) {
    const waiter = startHook("wait-mail", event, sleeperPlace.busDir, {
      ...sleeperPlace.env,
      HELIOY_AGENT_ID: "sleeper",
      HELIOY_RUNTIME: "codex",
      HELIOY_BUS_CODEX_PID: String(process.pid),
      HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "0"
    })
    await until(() => armed(sleeperPlace, "sleeper"), "the waiter's arming")
    const started = performance.now()
    await waker.call("send_message", { to: "sleeper", content: `wake ${run}`, nudge: false })
    const result = await waiter.exited
    wakes.push(performance.now() - started)
    if (result.code !== 2) throw new Error(`wait-mail ended: ${JSON.stringify(result)}`)
    await registrar.call("get_messages", { agent_id: "sleeper" })
  }
  await Promise.all([waker.close(), registrar.close()])
  return {
    sendP50Ms: round(percentile(sends, 50)),
    sendP99Ms: round(percentile(sends, 99)),
    fanOut100MedianMs: round(median(fanOuts)),
    senders16x500ThroughputMsgsPerS: round((senders * perSender) / (fanInMs / 1000)),
    senders16x500Lost: senders * perSender - received.size,
    wakeMedianMs: round(median(wakes)),
    wakeMaxMs: round(Math.max(...wakes))
  }
}

/** The file bus: one bus dir per figure, shared by both "hosts" (one machine). */
export const fileBusFigures = () =>
  figuresOn(
    (name) => ({ busDir: busDir(`side-${name}`), env: {} }),
    (place, agentId) => fs.existsSync(join(place.busDir, "inbox", agentId, ".waiter"))
  )

/** A PostgreSQL bus at `url`: a fresh schema per figure, a bus dir per host; dropped at the end. */
export const postgresBusFigures = async (url) => {
  const stamp = Date.now().toString(36)
  const schemas = new Set()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    return await figuresOn(
      (name, host) => {
        const schema = `hb_bench_${stamp}_${name}`
        schemas.add(schema)
        return {
          busDir: busDir(`pg-${name}-${host}`),
          env: { HELIOY_BUS_URL: url, HELIOY_BUS_PG_SCHEMA: schema, HELIOY_HOST: host }
        }
      },
      async () =>
        (await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'helioy-bus@host-b' AND query LIKE 'LISTEN %'`
        )).rows.length > 0
    )
  } finally {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  }
}
