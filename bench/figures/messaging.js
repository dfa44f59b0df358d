/**
 * One server's messaging: (b) send_message round trips, (c) one send to a role of 100 agents, (e) one get_messages
 * of 1,000 waiting messages.
 */
import { memoryOf } from "../support/proc.js"
import { startServer } from "../support/server.js"
import { median, percentile, round, timed } from "../support/stats.js"
import { busDir, home, root } from "../support/workspace.js"

const sendRuns = 1000
const fanOutAgents = 100
const fanOutRuns = 5
const inboxSize = 1000
const getRuns = 5

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

/** (b) send_message round trips to one registered recipient: p50, p99, max and server RSS; rejects on a tool error. */
export const sendRoundTrip = async () => {
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

/** (c) One send to a role of 100 agents, median and max of 5; rejects on a tool error or a short recipient list. */
export const fanOut = async () => {
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

/** (e) One get_messages of 1,000 waiting messages, median and max of 5; rejects on a tool error or a short reply. */
export const getThousand = async () => {
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
