/** Many processes registering, heartbeating, listing, sending and reading against one fresh registry.db at once. */
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { type BusServer, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import {
  drain,
  longTest,
  messagesOf,
  registryIntegrity,
  reportFigures,
  runSeed,
  scaled,
  seededRandom
} from "../support/stressBus.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const processCount = scaled(6, 16)
const rounds = scaled(15, 60)

it(
  `${processCount} processes x ${rounds} rounds of register, heartbeat, list, send and read on one registry: every call succeeds, nothing is lost`,
  async () => {
    const root = makeTempDir("helioy-contention-")
    const busDir = join(root, "bus")
    const ids = Array.from({ length: processCount }, (_, n) => `agent${n}:general`)
    // All start at once against a bus dir that does not exist yet: creation and migrations race too.
    const agents = await Promise.all(ids.map((agentId) => servers.start({ home: root, busDir, agentId })))
    const random = seededRandom(runSeed)
    const sent = new Map<string, string>()
    const received: Array<{ readonly id: string; readonly to: string }> = []
    let calls = 0
    const ok = async (agent: BusServer, tool: string, args: Record<string, unknown>) => {
      calls++
      const result = await agent.call(tool, args)
      // No SQLITE_BUSY (or any other error) may reach a user.
      expect(result.isError, `${tool}: ${JSON.stringify(result.content)}`).toBeFalsy()
      return result.structuredContent as Record<string, unknown>
    }
    await Promise.all(agents.map((agent, n) => ok(agent, "register_agent", { pwd: root, agent_id: ids[n] })))
    const work = async (agent: BusServer, n: number) => {
      for (let round = 0; round < rounds; round++) {
        const to = ids[(n + 1 + Math.floor(random() * (processCount - 1))) % processCount]!
        const step = round % 4
        if (step === 0) await ok(agent, "register_agent", { pwd: root, agent_id: ids[n], agent_type: "general" })
        if (step === 1) await ok(agent, "heartbeat", { agent_id: ids[n] })
        if (step === 2) expect((await ok(agent, "list_agents", {})).result).toBeInstanceOf(Array)
        const result = await ok(agent, "send_message", { to, content: `${ids[n]}#${round}` })
        sent.set(String(result.message_id), to)
        for (const message of messagesOf(await ok(agent, "get_messages", { agent_id: ids[n] }))) {
          received.push({ id: message.id, to: message.to })
        }
        if (round % 5 === 4) await ok(agent, "whoami", {})
      }
    }
    await Promise.all(agents.map(work))
    for (const [n, agent] of agents.entries()) {
      received.push(...(await drain(agent, ids[n]!)).map((message) => ({ id: message.id, to: message.to })))
    }
    expect(received).toHaveLength(sent.size)
    for (const message of received) expect(sent.get(message.id)).toBe(message.to)
    const listed = (await ok(agents[0]!, "list_agents", {})).result as Array<{ agent_id: string }>
    expect(listed.map((agent) => agent.agent_id).sort()).toEqual([...ids].sort())
    expect(registryIntegrity(join(busDir, "registry.db"))).toBe(`ok ${processCount}`)
    reportFigures("contention", {
      processes: processCount,
      rounds,
      calls,
      messages: sent.size,
      lost: sent.size - received.length
    })
  },
  longTest
)
