/**
 * Many sender processes, a few recipients, two concurrent reader processes per inbox: nothing lost, torn or reordered.
 */
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { type BusServer, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { auditInbox, longTest, messagesOf, reportFigures, scaled, type WireMessage } from "../support/stressBus.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const senderCount = scaled(4, 12)
const messagesPerSender = scaled(100, 400)
const recipientCount = scaled(2, 3)

/** A body that is easy to check for tearing: its own sequence and a checksum-like tail of varying length. */
const bodyOf = (sender: number, sequence: number) => {
  const head = `s${sender}#${sequence}|`
  return head + "x".repeat((sequence * 37) % 3000) + `|${head.length}`
}

it(
  `${senderCount} sender processes x ${messagesPerSender} messages to ${recipientCount} recipients, 2 readers each: every acknowledged message read exactly once, intact, in per-sender order`,
  async () => {
    const root = makeTempDir("helioy-stress-")
    const busDir = join(root, "bus")
    const recipients = Array.from({ length: recipientCount }, (_, n) => `sink${n}:general`)
    const start = (agentId: string) => servers.start({ home: root, busDir, agentId })
    const readers = await Promise.all(recipients.flatMap((id) => [start(id), start(id)]))
    for (const [n, id] of recipients.entries()) await readers[2 * n]!.ok("register_agent", { pwd: root, agent_id: id })
    const senders = await Promise.all(Array.from({ length: senderCount }, (_, n) => start(`sender${n}:general`)))

    const acknowledged = new Map<string, { readonly sender: number; readonly sequence: number; readonly to: string }>()
    let sendersLeft = senderCount
    const send = async (sender: BusServer, n: number) => {
      for (let i = 0; i < messagesPerSender; i++) {
        const to = recipients[(n + i) % recipientCount]!
        const result = await sender.ok("send_message", { to, content: bodyOf(n, i) })
        acknowledged.set(String(result.message_id), { sender: n, sequence: i, to })
      }
      sendersLeft--
    }
    const read = async (reader: BusServer, agentId: string) => {
      const batches: Array<ReadonlyArray<WireMessage>> = []
      for (;;) {
        const done = sendersLeft === 0
        const batch = messagesOf(await reader.ok("get_messages", { agent_id: agentId }))
        if (batch.length > 0) batches.push(batch)
        else if (done) return batches.flat()
      }
    }
    const [readsByReader] = await Promise.all([
      Promise.all(readers.map((reader, k) => read(reader, recipients[Math.floor(k / 2)]!))),
      ...senders.map(send)
    ])

    const all = readsByReader.flat()
    const total = senderCount * messagesPerSender
    expect(acknowledged.size).toBe(total)
    // Exactly once: no loss, no duplicate (nothing crashed, so nothing is re-delivered).
    expect(all).toHaveLength(total)
    expect(new Set(all.map((message) => message.id)).size).toBe(total)
    for (const message of all) {
      const sent = acknowledged.get(message.id)
      expect(sent, `unknown message ${message.id}`).toBeDefined()
      // Intact and in the right inbox.
      expect(message.content).toBe(bodyOf(sent!.sender, sent!.sequence))
      expect(message.to).toBe(sent!.to)
    }
    // Per-sender order: within each reader's stream, and in the inbox order (by send time) of each recipient.
    for (const reads of readsByReader) {
      for (let n = 0; n < senderCount; n++) {
        const sequence = reads.filter((message) => message.from === `sender${n}:general`).map((m) =>
          acknowledged.get(m.id)!.sequence
        )
        expect(sequence).toEqual([...sequence].sort((a, b) => a - b))
      }
    }
    for (const to of recipients) {
      const inboxOrder = all.filter((message) => message.to === to).sort((a, b) =>
        a.sent_at.localeCompare(b.sent_at) || a.id.localeCompare(b.id)
      )
      for (let n = 0; n < senderCount; n++) {
        const sequence = inboxOrder.filter((message) => message.from === `sender${n}:general`).map((m) =>
          acknowledged.get(m.id)!.sequence
        )
        expect(sequence).toEqual(
          Array.from({ length: messagesPerSender }, (_, i) => i).filter((i) =>
            (n + i) % recipientCount === recipients.indexOf(to)
          )
        )
      }
    }
    // On disk: everything archived once, nothing unread or held, nothing partial.
    let archived = 0
    for (const to of recipients) {
      const audit = auditInbox(join(busDir, "inbox", to))
      expect(audit.problems).toEqual([])
      expect(audit.unread).toEqual([])
      expect(audit.held).toEqual([])
      archived += audit.archived.length
    }
    expect(archived).toBe(total)
    reportFigures("stress", {
      senders: senderCount,
      messagesPerSender,
      recipients: recipientCount,
      readers: recipientCount * 2,
      messages: total,
      lost: total - new Set(all.map((m) => m.id)).size,
      duplicates: all.length - new Set(all.map((m) => m.id)).size
    })
  },
  longTest
)
