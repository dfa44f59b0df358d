/**
 * Delivery status: send_message with and without ack_required (interleaved, one server), message_status, and
 * search_messages over 10,000 archived messages.
 */
import { startServer } from "../support/server.js"
import { percentile, round, timed } from "../support/stats.js"
import { busDir, home, root } from "../support/workspace.js"

const sendRuns = 500
const statusRuns = 300
const archived = 10_000
const searchRuns = 50
const words = ["deploy", "migration", "review", "release", "schema", "rollback", "cache", "latency"]

/** The p50 of `runs` calls of `call`. */
const p50Of = async (runs, call) => {
  const samples = []
  for (let n = 0; n < runs; n++) samples.push((await timed(() => call(n))).ms)
  return round(percentile(samples, 50))
}

/** Sends p50 with and without ack_required, message_status p50, search p50 over 10,000 archived; rejects on errors. */
export const deliveryStatus = async () => {
  const server = await startServer({ home, busDir: busDir("status"), agentId: "alice" })
  await server.call("register_agent", { pwd: root, agent_id: "alice" })
  await server.call("register_agent", { pwd: root, agent_id: "bob" })
  for (let n = 0; n < 20; n++) await server.call("send_message", { to: "bob", content: `warm-up ${n}` })
  const plain = []
  const acked = []
  for (let n = 0; n < sendRuns; n++) {
    plain.push((await timed(() => server.call("send_message", { to: "bob", content: `plain ${n}`, nudge: false }))).ms)
    acked.push(
      (await timed(() =>
        server.call("send_message", { to: "bob", content: `acked ${n}`, nudge: false, ack_required: true })
      )).ms
    )
  }
  const sent = await server.call("send_message", { to: "bob", content: "status me", nudge: false })
  const statusP50Ms = await p50Of(statusRuns, () => server.call("message_status", { message_id: sent.message_id }))

  // 10,000 archived messages in bob's inbox (the ones above included), then searches by their sender.
  let total = 20 + 2 * sendRuns + 1
  let next = 0
  const lane = async () => {
    while (total + next < archived) {
      const n = next++
      const topic = words[n % words.length]
      await server.call("send_message", {
        to: "bob",
        topic,
        content: `${words[(n * 7) % words.length]} note ${n}: ${words[(n * 3) % words.length]} done`,
        nudge: false
      })
    }
  }
  await Promise.all(Array.from({ length: 16 }, lane))
  total += next
  for (;;) {
    const read = await server.call("get_messages", { agent_id: "bob", limit: 1000 })
    if (read.remaining === 0) break
  }
  let hits = 0
  const searchP50Ms = await p50Of(searchRuns, async (n) => {
    const found = await server.call("search_messages", { query: words[n % words.length] })
    hits += found.results.length
  })
  await server.close()
  if (hits === 0) throw new Error("search_messages found nothing")
  return {
    sendPlainP50Ms: round(percentile(plain, 50)),
    sendAckRequiredP50Ms: round(percentile(acked, 50)),
    messageStatusP50Ms: statusP50Ms,
    searchArchived: total,
    search10kP50Ms: searchP50Ms
  }
}
