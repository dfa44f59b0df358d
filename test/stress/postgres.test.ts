/**
 * The PostgreSQL bus under load and kill -9: many sender processes on two "hosts", two readers per inbox; readers
 * killed mid-claim. Nothing lost, nothing duplicated without a crash, per-sender order kept.
 */
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type BusServer, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { adminQuery, noPostgres, pgUrl } from "../support/pg/pgLayers.js"
import {
  drain,
  type KillableServer,
  longTest,
  messagesOf,
  reportFigures,
  runSeed,
  scaled,
  seededRandom,
  startKillable,
  turns,
  type WireMessage
} from "../support/stressBus.js"

const servers = serverPool()
const killable: Array<KillableServer> = []
const schemas: Array<string> = []

afterEach(async () => {
  await Promise.all(killable.splice(0).map((server) => server.kill()))
  await servers.closeAll()
  removeTempDirs()
  for (const schema of schemas.splice(0)) {
    await Effect.runPromise(adminQuery(pgUrl, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
  }
})

const senderCount = 16
const messagesPerSender = scaled(60, 500)
const recipients = ["sink0:general", "sink1:general"]

/** Where a server of host `name` runs, on the bus in `schema`. */
const placeOn = (name: string, schema: string, agentId: string) => {
  const root = makeTempDir(`helioy-pgstress-${name}-`)
  return {
    home: root,
    busDir: join(root, "bus"),
    agentId,
    env: { HELIOY_BUS_URL: pgUrl, HELIOY_BUS_PG_SCHEMA: schema, HELIOY_HOST: name }
  }
}

const freshSchema = () => {
  const schema = `hb_stress_${randomBytes(6).toString("hex")}`
  schemas.push(schema)
  return schema
}

describe.skipIf(noPostgres)("PostgreSQL bus under load", () => {
  it(
    `${senderCount} sender processes x ${messagesPerSender} messages across two hosts, 2 readers per inbox: every acknowledged message read exactly once, in per-sender order`,
    async () => {
      const schema = freshSchema()
      const readers = await Promise.all(
        recipients.flatMap((
          id
        ) => [servers.start(placeOn("host-b", schema, id)), servers.start(placeOn("host-b", schema, id))])
      )
      for (const [n, id] of recipients.entries()) {
        await readers[2 * n]!.ok("register_agent", { pwd: "/b", agent_id: id })
      }
      const senders = await Promise.all(
        Array.from({ length: senderCount }, (_, n) => servers.start(placeOn("host-a", schema, `sender${n}:general`)))
      )
      const acknowledged = new Map<string, { readonly sender: number; readonly sequence: number }>()
      let sendersLeft = senderCount
      const started = Date.now()
      const send = async (sender: BusServer, n: number) => {
        for (let i = 0; i < messagesPerSender; i++) {
          const result = await sender.ok("send_message", { to: recipients[(n + i) % 2]!, content: `s${n}#${i}` })
          acknowledged.set(String(result.message_id), { sender: n, sequence: i })
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
      const seconds = (Date.now() - started) / 1000
      const all = readsByReader.flat()
      const total = senderCount * messagesPerSender
      const ids = new Set(all.map((message) => message.id))
      expect(acknowledged.size).toBe(total)
      expect(all).toHaveLength(total)
      expect(ids.size).toBe(total)
      for (const message of all) {
        const sent = acknowledged.get(message.id)!
        expect(message.content).toBe(`s${sent.sender}#${sent.sequence}`)
      }
      for (const reads of readsByReader) {
        for (let n = 0; n < senderCount; n++) {
          const sequence = reads.filter((m) => m.from === `sender${n}:general`).map((m) =>
            acknowledged.get(m.id)!.sequence
          )
          expect(sequence).toEqual([...sequence].sort((a, b) => a - b))
        }
      }
      const unread = await Effect.runPromise(
        adminQuery(pgUrl, `SELECT COUNT(*) AS n FROM "${schema}".messages WHERE state <> 'archived'`)
      )
      expect(Number(unread[0]!.n)).toBe(0)
      reportFigures("pg-stress", {
        senders: senderCount,
        messagesPerSender,
        messages: total,
        lost: total - ids.size,
        duplicates: all.length - ids.size,
        seconds,
        messagesPerSecond: Math.round(total / seconds)
      })
    },
    longTest
  )

  it(
    "readers killed with kill -9 while get_messages is in flight: every acknowledged message is read by a later reader",
    async () => {
      const schema = freshSchema()
      const random = seededRandom(runSeed)
      const recipient = "sink:general"
      const first = await servers.start(placeOn("host-b", schema, recipient))
      await first.ok("register_agent", { pwd: "/b", agent_id: recipient })
      const sender = await servers.start(placeOn("host-a", schema, "sender:general"))
      const acknowledged = new Set<string>()
      const received: Array<WireMessage> = []
      const cycles = scaled(6, 30)
      let kills = 0
      for (let cycle = 0; cycle < cycles; cycle++) {
        for (let i = 0; i < 20; i++) {
          acknowledged.add(
            String((await sender.ok("send_message", { to: recipient, content: `c${cycle}#${i}` })).message_id)
          )
        }
        const reader = await startKillable(placeOn("host-b", schema, recipient))
        killable.push(reader)
        const call = reader.call("get_messages", { agent_id: recipient, limit: 5 }).catch(() => undefined)
        await turns(Math.floor(random() * 40))
        await reader.kill()
        kills++
        const result = await call
        if (result !== undefined && !result.isError) {
          received.push(...messagesOf(result.structuredContent as Record<string, unknown>))
        }
      }
      received.push(...(await drain(first, recipient)))
      const readIds = new Set(received.map((message) => message.id))
      expect([...acknowledged].filter((id) => !readIds.has(id))).toEqual([])
      reportFigures("pg-crash", {
        cycles,
        kills,
        acknowledged: acknowledged.size,
        read: received.length,
        duplicates: received.length - readIds.size,
        lost: 0
      })
    },
    longTest
  )
})
