/**
 * (f) Eight sender processes writing to one recipient at once: throughput and latency, then loss, duplicates and
 * order of what the recipient gets.
 */
import { startServer } from "../support/server.js"
import { percentile, round, timed } from "../support/stats.js"
import { busDir, home, root } from "../support/workspace.js"

const senders = 8
const perSender = 500

/** (f) 8 senders x 500 messages to one recipient: throughput, loss, duplicates, order; rejects on a tool error. */
export const concurrentSenders = async () => {
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
