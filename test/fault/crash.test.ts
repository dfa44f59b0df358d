/**
 * kill -9 of sender, reader and registering processes at random points, cycle after cycle: an acknowledged message is
 * never lost (a crash may re-deliver it, with the same id), no file is half-visible, the registry always opens.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"
import {
  auditInbox,
  drain,
  type KillableServer,
  longTest,
  messagesOf,
  registryIntegrity,
  reportFigures,
  runSeed,
  scaled,
  seededRandom,
  startKillable,
  turns,
  type WireMessage
} from "../support/stressBus.js"

const running: Array<KillableServer> = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.kill()))
  removeTempDirs()
})

const recipient = "sink:general"
const cycles = scaled(12, 80)

const freshBus = () => {
  const root = makeTempDir("helioy-crash-")
  const busDir = join(root, "bus")
  const start = async (agentId: string) => {
    const server = await startKillable({ home: root, busDir, agentId })
    running.push(server)
    return server
  }
  return { root, busDir, inbox: join(busDir, "inbox", recipient), start }
}

/** Closes a server that survived its cycle and waits for its exit. */
const retire = async (server: KillableServer) => {
  await server.close().catch(() => undefined)
  await server.exited
}

it(
  `${cycles} cycles of kill -9 on senders, readers and registrations: every acknowledged message is delivered at least once, nothing is half-visible, the registry opens cleanly`,
  async () => {
    const random = seededRandom(runSeed)
    const pick = (below: number) => Math.floor(random() * below)
    const bus = freshBus()
    const setup = await bus.start(recipient)
    await setup.ok("register_agent", { pwd: bus.root, agent_id: recipient })
    await retire(setup)

    const acknowledged = new Set<string>()
    const received: Array<WireMessage> = []
    let kills = 0
    let killedInFlight = 0
    const victims = { sender: 0, reader: 0, registration: 0 }

    for (let cycle = 0; cycle < cycles; cycle++) {
      const [sender, reader, registrant] = await Promise.all([
        bus.start(`sender${cycle}:general`),
        bus.start(recipient),
        bus.start(`reg${cycle}:general`)
      ])
      const victim = (["sender", "reader", "both"] as const)[pick(3)]!
      const killSenderAt = 1 + pick(25)
      const killReaderAt = 1 + pick(25)
      let stop = false
      let acksThisCycle = 0

      const sending = (async () => {
        for (let i = 0; !stop && i < 60; i++) {
          // A call to a killed server rejects (connection closed): handled from the start, read as undefined.
          const call = sender.call("send_message", { to: recipient, content: `cycle${cycle}#${i}` }).catch(() =>
            undefined
          )
          if ((victim === "sender" || victim === "both") && acksThisCycle === killSenderAt) {
            await turns(pick(40))
            await sender.kill()
            kills++
            victims.sender++
            killedInFlight++
            await call
            return
          }
          const result = await call
          expect(result?.isError, JSON.stringify(result?.content)).toBe(undefined)
          acknowledged.add(String((result!.structuredContent as Record<string, unknown>).message_id))
          acksThisCycle++
        }
      })()
      const reading = (async () => {
        while (!stop) {
          const call = reader.call("get_messages", { agent_id: recipient }).catch(() => undefined)
          if ((victim === "reader" || victim === "both") && acksThisCycle >= killReaderAt) {
            await turns(pick(40))
            await reader.kill()
            kills++
            victims.reader++
            // What the killed reader took but never handed over must be re-delivered later, not lost.
            const result = await call
            if (result !== undefined && !result.isError) {
              received.push(...messagesOf(result.structuredContent as Record<string, unknown>))
            }
            return
          }
          const result = await call
          expect(result?.isError, JSON.stringify(result?.content)).toBe(undefined)
          received.push(...messagesOf(result!.structuredContent as Record<string, unknown>))
          await turns(1)
        }
      })()
      const registering = (async () => {
        const call = registrant.call("register_agent", { pwd: bus.root, agent_id: `reg${cycle}:general` }).catch(() =>
          undefined
        )
        await turns(pick(60))
        await registrant.kill()
        kills++
        victims.registration++
        await call
      })()
      await Promise.all([sending, registering])
      stop = true
      await reading
      await Promise.all([sender, reader].map(retire))

      // After each cycle: nothing half-visible, every acknowledged message somewhere it will be read from.
      const audit = auditInbox(bus.inbox)
      expect(audit.problems).toEqual([])
      const readIds = new Set(received.map((message) => message.id))
      const reachable = new Set([...readIds, ...audit.unread, ...audit.held])
      const lostNow = [...acknowledged].filter((id) => !reachable.has(id))
      expect(lostNow, `cycle ${cycle} (${victim}): acknowledged but neither read, unread nor held`).toEqual([])
      expect(registryIntegrity(join(bus.busDir, "registry.db"))).toMatch(/^ok \d+$/)
    }

    // A reader after the storm gets everything still owed, including what killed readers held.
    const finalReader = await bus.start(recipient)
    received.push(...(await drain(finalReader, recipient)))
    const list = await finalReader.ok("list_agents")
    expect(Array.isArray(list.result)).toBe(true)
    await retire(finalReader)

    const readIds = new Set(received.map((message) => message.id))
    const lost = [...acknowledged].filter((id) => !readIds.has(id))
    expect(lost).toEqual([])
    const audit = auditInbox(bus.inbox)
    expect(audit.problems).toEqual([])
    expect(audit.unread).toEqual([])
    expect(audit.held).toEqual([])
    // Every file name in the inbox that ends in .json is a complete message; temp files of killed senders do not.
    for (const name of fs.readdirSync(bus.inbox).filter((entry) => entry.endsWith(".json"))) {
      expect(JSON.parse(fs.readFileSync(join(bus.inbox, name), "utf8")).id).toBeTypeOf("string")
    }
    reportFigures("crash", {
      cycles,
      kills,
      victims,
      killedInFlight,
      acknowledged: acknowledged.size,
      read: received.length,
      duplicates: received.length - readIds.size,
      lost: lost.length
    })
  },
  longTest
)

it(
  "a reader killed while claiming a large inbox loses nothing: what it held is re-delivered with the same ids",
  async () => {
    const bus = freshBus()
    const sender = await bus.start("sender:general")
    await sender.ok("register_agent", { pwd: bus.root, agent_id: recipient })
    const count = scaled(300, 1000)
    const sent = new Set<string>()
    for (let i = 0; i < count; i++) {
      sent.add(String((await sender.ok("send_message", { to: recipient, content: `m${i}` })).message_id))
    }
    const reader = await bus.start(recipient)
    const claimedDir = join(bus.inbox, "claimed")
    fs.mkdirSync(claimedDir, { recursive: true, mode: 0o700 })
    // Kill the reader as soon as it holds its first message: mid-claim or before its answer is written.
    const holding = new Promise<void>((resolve) => {
      const watcher = fs.watch(claimedDir, () => {
        watcher.close()
        resolve()
      })
    })
    const call = reader.call("get_messages", { agent_id: recipient }).catch(() => undefined)
    await holding
    await reader.kill()
    const answered = await call
    const firstRead = answered === undefined || answered.isError
      ? []
      : messagesOf(answered.structuredContent as Record<string, unknown>)
    const held = auditInbox(bus.inbox).held.length

    const next = await bus.start(recipient)
    const again = await drain(next, recipient)
    const ids = new Set([...firstRead, ...again].map((message) => message.id))
    expect([...sent].filter((id) => !ids.has(id))).toEqual([])
    // Re-delivered messages keep their order: the next reader sees them oldest first.
    const sequence = again.map((message) => Number(message.content.slice(1)))
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b))
    expect(auditInbox(bus.inbox).held).toEqual([])
    reportFigures("crash-mid-claim", { messages: count, heldByKilledReader: held, redelivered: again.length, lost: 0 })
  },
  longTest
)
