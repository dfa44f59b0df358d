/** Many `helioy-bus serve` processes writing to and reading from one inbox at the same time. */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { type BusServer, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const senderCount = 4
const messagesPerSender = 50
const recipient = "sink:general"

interface Received {
  readonly id: string
  readonly from: string
  readonly content: string
  readonly sent_at: string
}

/** Reads the recipient's inbox over and over until the senders are done and a read comes back empty. */
const readUntilDrained = async (reader: BusServer, sendersDone: () => boolean) => {
  const reads: Array<ReadonlyArray<Received>> = []
  for (;;) {
    const done = sendersDone()
    const batch = (await reader.ok("get_messages")).result as Array<Received>
    if (batch.length > 0) reads.push(batch)
    else if (done) return reads
  }
}

const sequenceOf = (message: Received) => Number(message.content.split("#")[1])

it(`${senderCount} senders x ${messagesPerSender} messages into one inbox read by 2 concurrent readers: each message read exactly once, in per-sender order`, async () => {
  const root = makeTempDir("helioy-concurrency-")
  const busDir = join(root, "bus")
  const start = (agentId: string) => servers.start({ home: root, busDir, agentId })
  const [firstReader, secondReader, ...senders] = await Promise.all([
    start(recipient),
    start(recipient),
    ...Array.from({ length: senderCount }, (_, n) => start(`sender${n}:general`))
  ])
  await firstReader!.ok("register_agent", { pwd: root, agent_id: recipient })

  let finished = 0
  const sendersDone = () => finished === senderCount
  const sentIds = new Map<string, string>()
  const send = async (sender: BusServer, n: number) => {
    for (let i = 0; i < messagesPerSender; i++) {
      const result = await sender.ok("send_message", { to: recipient, content: `sender${n}:general#${i}` })
      sentIds.set(String(result.message_id), `sender${n}:general#${i}`)
    }
    finished++
  }

  const [readsA, readsB] = await Promise.all([
    readUntilDrained(firstReader!, sendersDone),
    readUntilDrained(secondReader!, sendersDone),
    ...senders.map((sender, n) => send(sender, n))
  ])

  const all = [...readsA!, ...readsB!].flat()
  expect(sentIds.size).toBe(senderCount * messagesPerSender)
  expect(all).toHaveLength(senderCount * messagesPerSender)
  expect(new Set(all.map((message) => message.id)).size).toBe(all.length)
  expect(all.map((message) => message.id).sort()).toEqual([...sentIds.keys()].sort())
  for (const message of all) expect(message.content).toBe(sentIds.get(message.id))

  // Each reader sees every sender's messages in the order they were sent...
  for (const reads of [readsA!, readsB!]) {
    for (let n = 0; n < senderCount; n++) {
      const seen = reads.flat().filter((message) => message.from === `sender${n}:general`).map(sequenceOf)
      expect(seen).toEqual([...seen].sort((a, b) => a - b))
    }
  }
  // ...and the inbox order (file names, by sent_at) is every sender's send order.
  const inboxOrder = [...all].sort((a, b) => a.sent_at.localeCompare(b.sent_at) || a.id.localeCompare(b.id))
  for (let n = 0; n < senderCount; n++) {
    const sequence = inboxOrder.filter((message) => message.from === `sender${n}:general`).map(sequenceOf)
    expect(sequence).toEqual(Array.from({ length: messagesPerSender }, (_, i) => i))
  }

  const inbox = join(busDir, "inbox", recipient)
  expect(fs.readdirSync(inbox).filter((name) => name.endsWith(".json"))).toEqual([])
  expect(fs.readdirSync(join(inbox, "archive"))).toHaveLength(senderCount * messagesPerSender)
  expect(fs.readdirSync(inbox).filter((name) => name.endsWith(".tmp"))).toEqual([])
})
