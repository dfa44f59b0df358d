/**
 * (g) Resident memory of an idle server after startup and a few calls.
 */
import { setTimeout as sleep } from "node:timers/promises"
import { memoryOf } from "../support/proc.js"
import { startServer } from "../support/server.js"
import { busDir, home, root } from "../support/workspace.js"

/** (g) RSS and peak RSS of an idle server after a few calls (null without /proc); rejects on a tool error. */
export const idleMemory = async () => {
  const server = await startServer({ home, busDir: busDir("idle"), agentId: "idler" })
  await server.call("register_agent", { pwd: root, agent_id: "idler" })
  await server.call("register_agent", { pwd: root, agent_id: "peer" })
  await server.call("whoami")
  await server.call("list_agents")
  await server.call("send_message", { to: "peer", content: "hello" })
  await server.call("get_messages", { agent_id: "peer" })
  await server.call("heartbeat")
  await sleep(1000)
  const memory = memoryOf(server.pid)
  await server.close()
  return { idleRssMb: memory.rssMb, idlePeakRssMb: memory.peakRssMb }
}
