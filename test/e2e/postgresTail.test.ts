/**
 * `helioy-bus tail --json` of the built binary on a PostgreSQL bus: the deliveries and reads of agents on MCP servers
 * of another host, told through the bus's feed channel (that host's bus dir holds no inbox file).
 */
import type { ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"
import { contents, hostEnv, pgHosts } from "../support/pg/pgHosts.js"
import { noPostgres } from "../support/pg/pgLayers.js"
import { startTail } from "../support/tailProcess.js"

const { cleanUp, freshSchema, host } = pgHosts()
const children: Array<ChildProcess> = []

afterEach(async () => {
  await Promise.all(
    children.splice(0).map((child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGINT")
      })
    )
  )
  await cleanUp()
  removeTempDirs()
})

describe.skipIf(noPostgres)("helioy-bus tail on a PostgreSQL bus", () => {
  it("follows a send to an agent on another host as `delivered` and its get_messages as `read`", async () => {
    const schema = freshSchema()
    const onA = host("host-a", schema)
    const alice = await onA("web:frontend")
    const bob = await onA("api:backend")
    await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    await bob.ok("register_agent", { pwd: "/home/a/api", agent_id: "api:backend" })

    const root = makeTempDir("helioy-pg-tail-")
    const busDir = join(root, "bus")
    const tail = await startTail({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: root,
      HELIOY_BUS_DIR: busDir,
      ...hostEnv("host-b", schema)
    })
    children.push(tail.child)

    const sent = await alice.ok("send_message", {
      to: "api:backend",
      content: "watched on PostgreSQL",
      topic: "feed",
      priority: "urgent"
    })
    const delivered = await tail.next((event) => event.event === "delivered")
    expect(delivered).toEqual({
      event: "delivered",
      agent_id: "api:backend",
      message_id: sent.message_id,
      from: "web:frontend",
      topic: "feed",
      priority: "urgent",
      file: expect.stringMatching(/\.json$/),
      at: expect.any(String)
    })

    expect(contents(await bob.ok("get_messages"))).toEqual([["web:frontend", "watched on PostgreSQL"]])
    expect(await tail.next((event) => event.event === "read")).toEqual({
      ...delivered,
      event: "read",
      at: expect.any(String)
    })
    expect(tail.events().map((event) => event.event).filter((event) => event !== "wake")).toEqual([
      "delivered",
      "read"
    ])
    // Nothing on this host's disk told it: its bus dir has no inbox.
    expect(fs.readdirSync(join(busDir, "inbox"))).toEqual([])
  })
})
