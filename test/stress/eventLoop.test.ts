/**
 * A registry write that waits on another process's lock must not freeze the server: while a second process holds
 * registry.db with BEGIN EXCLUSIVE for about a second, register_agent either fails naming the lock or succeeds once
 * the lock is gone, and read-only tools/list calls sent meanwhile keep being answered. How long the event loop was
 * blocked is measured from outside (the slowest tools/list) and printed, never asserted.
 */
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { holdWriteLock } from "../integration/referenceDb.js"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { longTest, reportFigures } from "../support/stressBus.js"

const servers = serverPool()
const releases: Array<() => void> = []

afterEach(async () => {
  for (const release of releases.splice(0)) release()
  await servers.closeAll()
  removeTempDirs()
})

const busyTimeoutMs = 300
const lockHeldMs = 1_000

it(
  "a register_agent stuck behind another process's exclusive lock fails naming the lock (or waits it out) while tools/list keeps answering",
  async () => {
    const root = makeTempDir("helioy-eventloop-")
    const busDir = join(root, "bus")
    const server = await servers.start({
      home: root,
      busDir,
      agentId: "me:general",
      env: { HELIOY_BUS_BUSY_TIMEOUT_MS: String(busyTimeoutMs) }
    })
    // The first registration creates registry.db (and runs the migrations) before anyone locks it.
    await server.ok("register_agent", { pwd: root, agent_id: "me:general" })

    const lock = await holdWriteLock(join(busDir, "registry.db"))
    releases.push(lock.kill)
    const lockedAt = performance.now()
    const released = new Promise<void>((resolve, reject) => {
      setTimeout(() => lock.release().then(resolve, reject), lockHeldMs)
    })

    let registerSettled = false
    const registering = server.call("register_agent", { pwd: root, agent_id: "me:general", agent_type: "general" })
      .finally(() => {
        registerSettled = true
      })
    // tools/list, one after another, for as long as the register call is in flight: each one's round trip is an
    // upper bound of how long the server's event loop was blocked while it waited.
    const latencies: Array<number> = []
    let listed = 0
    const probing = (async () => {
      while (!registerSettled || latencies.length === 0) {
        const sent = performance.now()
        const tools = await server.client.listTools()
        latencies.push(performance.now() - sent)
        expect(tools.tools.map((tool) => tool.name)).toContain("register_agent")
        listed++
      }
    })()
    const result = await registering
    const registerMs = performance.now() - lockedAt
    await probing
    await released

    const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n")
    if (result.isError) {
      expect(text).toMatch(/locked/)
      expect(text).toMatch(/registry\.db is locked by another process/)
    } else {
      expect(result.structuredContent).toMatchObject({ agent_id: "me:general" })
    }
    // Once the lock is gone, the server writes again.
    expect(await server.ok("register_agent", { pwd: root, agent_id: "me:general" })).toMatchObject({
      agent_id: "me:general"
    })

    const maxBlockMs = Math.round(Math.max(...latencies))
    console.log(
      `[event loop] busy timeout ${busyTimeoutMs} ms, lock held ~${lockHeldMs} ms: register ${
        result.isError ? "failed (locked)" : "succeeded"
      } after ${Math.round(registerMs)} ms; ${listed} tools/list answered meanwhile, slowest ${maxBlockMs} ms`
    )
    reportFigures("event-loop", {
      busyTimeoutMs,
      lockHeldMs,
      registerOutcome: result.isError ? "locked" : "ok",
      registerMs: Math.round(registerMs),
      toolsListed: listed,
      maxToolsListMs: maxBlockMs,
      medianToolsListMs: Math.round([...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)]!)
    })
  },
  longTest
)
