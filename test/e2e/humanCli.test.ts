/** The person's commands against the built binary and a real bus dir, beside agents on MCP servers; --json decoded. */
import { spawn, spawnSync } from "node:child_process"
import * as os from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { afterEach, describe, expect, it } from "vitest"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { startTail } from "../support/tailProcess.js"

const servers = serverPool()
const children: Array<ReturnType<typeof spawn>> = []

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGINT")
  await servers.closeAll()
  removeTempDirs()
})

const me = `human:${os.userInfo().username}`
const bob = "proj:bob"

/** A fresh bus with bob on an MCP server, and a runner of `helioy-bus <args>` on it. */
const busWithBob = async () => {
  const root = makeTempDir("helioy-human-")
  const busDir = join(root, "bus")
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, HELIOY_BUS_DIR: busDir }
  const server = await servers.start({ home: root, busDir, agentId: bob })
  await server.ok("register_agent", { pwd: root, agent_id: bob, agent_type: "backend" })
  const cli = (args: ReadonlyArray<string>, input?: string) =>
    spawnSync(process.execPath, [busBin, ...args], { encoding: "utf8", env, ...(input === undefined ? {} : { input }) })
  const json = (args: ReadonlyArray<string>) => {
    const run = cli([...args, "--json"])
    return {
      status: run.status,
      value: JSON.parse(run.stdout) as Record<string, unknown> & Array<Record<string, unknown>>
    }
  }
  return { root, busDir, env, server, cli, json }
}

describe("helioy-bus send, inbox, read, status, agents", () => {
  it("a person sends to an agent as human:<user> (registered so it can be answered), and the agent's answer reaches them", async () => {
    const { json, server } = await busWithBob()
    const sent = json(["send", bob, "please review PR 12", "--topic", "review", "--ack"])
    expect(sent.status).toBe(0)
    expect(sent.value).toMatchObject({ delivered: true, recipients: [bob] })
    const got = (await server.ok("get_messages")).result as Array<Record<string, unknown>>
    expect(got).toEqual([
      expect.objectContaining({ from: me, content: "please review PR 12", topic: "review", ack_required: true })
    ])
    await server.ok("send_message", { to: me, content: "looks good", in_reply_to: sent.value.message_id })
    const peeked = json(["inbox"])
    expect(peeked.value.map((message) => message.content)).toEqual(["looks good"])
    // Peeked, not claimed: still there, then read once.
    expect(json(["inbox"]).value).toHaveLength(1)
    expect((json(["read"]).value.messages as Array<{ content: string }>).map((m) => m.content)).toEqual(["looks good"])
    expect(json(["inbox"]).value).toEqual([])
    const status = json(["status", String(sent.value.message_id)])
    expect(status.value.recipients).toEqual([expect.objectContaining({ agent_id: bob, state: "read" })])
    const agents = json(["agents"])
    expect(agents.value.map((agent) => [agent.agent_id, agent.runtime, agent.unread, agent.waiter])).toEqual([
      [bob, "claude", 0, false],
      [me, "human", 0, false]
    ])
  })

  it("reads a long message from stdin; an undeliverable send exits 1 with the reason", async () => {
    const { cli, json, server } = await busWithBob()
    const long = "line\n".repeat(2000)
    const sent = cli(["send", bob, "-", "--urgent", "--json"], long)
    expect(sent.status).toBe(0)
    const [message] = (await server.ok("get_messages")).result as Array<{ content: string; priority: string }>
    expect(message).toMatchObject({ priority: "urgent" })
    expect(message!.content.length).toBe(long.length - 1)
    const refused = json(["send", "proj:ghost", "hello?"])
    expect(refused.status).toBe(1)
    expect(String(refused.value.error)).toContain("not found in registry")
    const text = cli(["send", "proj:ghost", "hello?"])
    expect(text.status).toBe(1)
    expect(text.stderr).toContain("error: Recipient 'proj:ghost' not found")
  })

  it("shows message content with terminal escape sequences defused", async () => {
    const { cli, server } = await busWithBob()
    // The person's first send registers them; then an agent writes to them.
    cli(["send", bob, "hello"])
    await server.ok("send_message", { to: me, content: "hi\u001b[2J\u001b]0;pwned\u0007" })
    const shown = cli(["inbox"]).stdout
    expect(shown).not.toContain("\u001b")
    expect(shown).toContain("hi\\x1b[2J\\x1b]0;pwned\\x07")
  })
})

describe("helioy-bus tail", () => {
  it("follows a delivery and its read live, as JSON lines", async () => {
    const { busDir, env, server } = await busWithBob()
    const tail = await startTail({ ...env, HELIOY_BUS_DIR: busDir })
    children.push(tail.child)
    const sent = await server.ok("send_message", { to: bob, content: "watched", topic: "feed" })
    expect(await tail.next((event) => event.event === "delivered")).toMatchObject({
      agent_id: bob,
      message_id: sent.message_id,
      from: bob,
      topic: "feed"
    })
    await server.ok("get_messages")
    expect(await tail.next((event) => event.event === "read")).toMatchObject({
      agent_id: bob,
      message_id: sent.message_id
    })
  })
})

describe("helioy-bus dashboard", () => {
  it("a second dashboard on a busy port says so and exits 1; stopping the first stops its server", async () => {
    const { env } = await busWithBob()
    const first = spawn(process.execPath, [busBin, "dashboard", "--no-open", "--port", "0"], { env })
    children.push(first)
    const url = await new Promise<string>((resolve) => createInterface({ input: first.stdout! }).once("line", resolve))
    const port = new URL(url).port
    expect((await fetch(url.replace("/?", "/api/agents?"))).status).toBe(200)
    const second = spawnSync(process.execPath, [busBin, "dashboard", "--no-open", "--port", port], {
      encoding: "utf8",
      env
    })
    expect(second.status).toBe(1)
    expect(second.stderr).toContain(`port ${port} on 127.0.0.1 is in use`)
    const exited = new Promise((resolve) => first.once("exit", resolve))
    first.kill("SIGINT")
    await exited
    await expect(fetch(url)).rejects.toThrow()
  })
})
