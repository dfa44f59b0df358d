/**
 * Volume under crashes: many server processes that all send (direct and to a role) and all read their own inboxes,
 * while one of them is killed with SIGKILL and restarted again and again. Every acknowledged delivery is read at
 * least once, intact; a crash shows up only as a re-delivery with the same id. `npm run soak` runs it at 16
 * processes and at least 100,000 deliveries.
 */
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

const running = new Set<KillableServer>()

afterEach(async () => {
  await Promise.all([...running].map((server) => server.kill()))
  running.clear()
  removeTempDirs()
})

const processCount = scaled(4, 16)
const targetDeliveries = scaled(1_500, 100_000)
const killCycles = scaled(4, 60)
const groupSize = Math.max(2, Math.floor(processCount / 4))

/** One bus participant: its id, its role, and the server process currently speaking for it. */
interface Node {
  readonly agentId: string
  readonly role: string
  server: KillableServer
  /** Resolves once a killed server has been replaced. */
  restarted: Promise<void>
}

const bodyOf = (sender: number, sequence: number) => `n${sender}#${sequence}|${"v".repeat((sequence * 53) % 700)}|`

it(
  `${processCount} processes send and read ${targetDeliveries} deliveries with ${killCycles} kill -9 cycles: every acknowledged delivery read at least once, intact`,
  async () => {
    const random = seededRandom(runSeed)
    const pick = (below: number) => Math.floor(random() * below)
    const root = makeTempDir("helioy-volume-")
    const busDir = join(root, "bus")
    const start = async (agentId: string) => {
      const server = await startKillable({ home: root, busDir, agentId })
      running.add(server)
      return server
    }
    const nodes: Array<Node> = await Promise.all(Array.from({ length: processCount }, async (_, n) => ({
      agentId: `node${n}:group${n % Math.ceil(processCount / groupSize)}`,
      role: `group${n % Math.ceil(processCount / groupSize)}`,
      server: await start(`node${n}:group${n % Math.ceil(processCount / groupSize)}`),
      restarted: Promise.resolve()
    })))
    for (const node of nodes) {
      await node.server.ok("register_agent", { pwd: root, agent_id: node.agentId, agent_type: node.role })
    }

    /** Acknowledged deliveries: message id -> the recipients the send reported. */
    const acknowledged = new Map<string, { readonly body: string; readonly to: ReadonlyArray<string> }>()
    const received: Array<WireMessage> = []
    let deliveries = 0
    let sends = 0
    let kills = 0
    let killedCalls = 0
    let done = false

    /** Runs a call on a node's current server; a call cut off by a kill waits for the restart and reports undefined. */
    const call = async (node: Node, tool: string, args: Record<string, unknown>) => {
      const server = node.server
      const result = await server.call(tool, args).catch(() => undefined)
      if (result === undefined) {
        killedCalls++
        await node.restarted
        return undefined
      }
      expect(result.isError, `${tool} on ${node.agentId}: ${JSON.stringify(result.content).slice(0, 500)}`).toBeFalsy()
      return result.structuredContent as Record<string, unknown>
    }

    const work = async (node: Node, n: number) => {
      for (let sequence = 0; !done; sequence++) {
        const body = bodyOf(n, sequence)
        const others = nodes.filter((other) => other !== node)
        const to = sequence % 2 === 0 ? others[pick(others.length)]!.agentId : `role:${nodes[pick(nodes.length)]!.role}`
        const sent = await call(node, "send_message", { to, content: body })
        if (sent !== undefined) {
          const recipients = sent.recipients as Array<string>
          acknowledged.set(String(sent.message_id), { body, to: recipients })
          deliveries += recipients.length
          sends++
          if (deliveries >= targetDeliveries) done = true
          if (done || deliveries >= killAt.threshold) killAt.reached()
        }
        if (sequence % 3 === 2) {
          const read = await call(node, "get_messages", { limit: 100 })
          if (read !== undefined) received.push(...messagesOf(read))
        }
      }
    }

    /** The delivery count at which the next kill is due, and the wake-up of the killer waiting for it. */
    const killAt = { threshold: Number.POSITIVE_INFINITY, reached: () => {} }
    const deliveriesReach = (threshold: number) =>
      new Promise<void>((resolve) => {
        killAt.threshold = threshold
        killAt.reached = resolve
        if (done || deliveries >= threshold) resolve()
      })

    const killer = async () => {
      for (let cycle = 1; cycle <= killCycles && !done; cycle++) {
        await deliveriesReach((targetDeliveries * cycle) / (killCycles + 1))
        if (done) return
        const victim = nodes[pick(nodes.length)]!
        let restartedNow = () => {}
        victim.restarted = new Promise((resolve) => {
          restartedNow = resolve
        })
        const old = victim.server
        await turns(pick(30))
        await old.kill()
        running.delete(old)
        kills++
        victim.server = await start(victim.agentId)
        restartedNow()
      }
    }

    const startedAt = Date.now()
    await Promise.all([...nodes.map(work), killer()])
    const sendingMillis = Date.now() - startedAt
    await Promise.all(nodes.map((node) => node.restarted))

    // Everything still unread or held by a killed reader goes to a fresh reader per inbox.
    for (const node of nodes) {
      await node.server.close().catch(() => undefined)
      await node.server.exited
      running.delete(node.server)
      const reader = await start(node.agentId)
      received.push(...(await drain(reader, node.agentId)))
      await reader.close().catch(() => undefined)
    }

    const readPairs = new Set(received.map((message) => `${message.id}>${message.to}`))
    const lost: Array<string> = []
    for (const [id, sent] of acknowledged) {
      for (const to of sent.to) if (!readPairs.has(`${id}>${to}`)) lost.push(`${id}>${to}`)
    }
    expect(lost.slice(0, 20), `${lost.length} acknowledged deliveries never read`).toEqual([])
    for (const message of received) {
      const sent = acknowledged.get(message.id)
      // A send cut off by a kill may still have delivered: unacknowledged, but intact all the same.
      if (sent !== undefined) expect(message.content).toBe(sent.body)
      else expect(message.content).toMatch(/^n\d+#\d+\|v*\|$/)
    }
    for (const node of nodes) {
      const audit = auditInbox(join(busDir, "inbox", node.agentId))
      expect(audit.problems).toEqual([])
      expect(audit.unread).toEqual([])
      expect(audit.held).toEqual([])
    }
    expect(registryIntegrity(join(busDir, "registry.db"))).toBe(`ok ${processCount}`)
    expect(deliveries).toBeGreaterThanOrEqual(targetDeliveries)
    reportFigures("volume", {
      processes: processCount,
      kills,
      killedCalls,
      sends,
      acknowledgedDeliveries: deliveries,
      read: received.length,
      reDelivered: received.length - readPairs.size,
      lost: lost.length,
      sendingSeconds: Math.round(sendingMillis / 1000),
      deliveriesPerSecond: Math.round(deliveries / (sendingMillis / 1000))
    })
  },
  longTest
)
