/** The bus tools through the MCP SDK Client against the built `helioy-bus serve`. */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs, serverPool, startRawBusServer } from "../support/mcpClient.js"

const servers = serverPool()
const rawServers: Array<{ stop: () => Promise<void> }> = []

afterEach(async () => {
  await servers.closeAll()
  await Promise.all(rawServers.splice(0).map((server) => server.stop()))
  removeTempDirs()
})

/** A fresh bus dir (and HOME) for one test; `start` runs a server acting as `agentId`. */
const freshBus = () => {
  const root = makeTempDir()
  const busDir = join(root, "bus")
  return {
    root,
    busDir,
    inbox: (agentId: string) => join(busDir, "inbox", agentId),
    start: (agentId?: string, env: Record<string, string> = {}) =>
      servers.start({ home: root, busDir, env, ...(agentId === undefined ? {} : { agentId }) })
  }
}

interface WireMessage {
  readonly id: string
  readonly from: string
  readonly to: string
  readonly reply_to: string
  readonly topic: string | null
  readonly content: string
  readonly sent_at: string
}

const messagesOf = (structured: Record<string, unknown>) => structured.result as Array<WireMessage>
const unreadFiles = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith(".json")).sort()

const referenceTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/
const referenceFileName = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{6}\+00-00_[0-9a-f]{8}\.json$/

// Reference-style ids hold ':' and '%'.
const alice = "helioy:frontend:main:0.0"
const bob = "helioy:backend:main:0.1:%5"
const carol = "api:backend"
const dave = "tools:general"

describe("tools/list", () => {
  it("lists the eleven tools; whoami, list_agents, message_status, get_thread and search_messages are read-only", async () => {
    const bus = freshBus()
    const server = await bus.start(alice)
    const { tools } = await server.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "acknowledge_message",
      "get_messages",
      "get_thread",
      "heartbeat",
      "list_agents",
      "message_status",
      "register_agent",
      "search_messages",
      "send_message",
      "unregister_agent",
      "whoami"
    ])
    const readOnly = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations?.readOnlyHint]))
    expect(readOnly).toEqual({
      whoami: true,
      list_agents: true,
      register_agent: false,
      unregister_agent: false,
      heartbeat: false,
      send_message: false,
      get_messages: false,
      message_status: true,
      acknowledge_message: false,
      get_thread: true,
      search_messages: true
    })
    for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(20)
    const send = tools.find((tool) => tool.name === "send_message")!
    expect(send.inputSchema.required).toEqual(["to", "content"])
  })
})

describe("registration", () => {
  it("register_agent, whoami, list_agents, heartbeat and unregister_agent work end to end", async () => {
    const bus = freshBus()
    const server = await bus.start(alice)

    const before = await server.fails("whoami")
    expect(before.message).toContain(`Resolved agent_id: '${alice}'`)
    expect(before.message).toContain("register_agent")
    expect(before.structured).toMatchObject({ type: "NotRegistered", agentId: alice })

    const registered = await server.ok("register_agent", {
      pwd: "/home/u/helioy",
      agent_id: alice,
      agent_type: "frontend",
      runtime: "codex",
      session_id: "sess-42",
      profile: { skills: ["typescript"], owns: ["ui/"] }
    })
    expect(Object.keys(registered).sort()).toEqual(["agent_id", "registered_at"])
    expect(registered.agent_id).toBe(alice)
    expect(registered.registered_at).toMatch(referenceTimestamp)
    expect(fs.statSync(bus.inbox(alice)).isDirectory()).toBe(true)

    const me = await server.ok("whoami")
    expect(me).toMatchObject({
      agent_id: alice,
      agent_type: "frontend",
      runtime: "codex",
      tmux_target: "",
      cwd: "/home/u/helioy",
      session_id: "sess-42",
      registered_at: registered.registered_at,
      token_usage: {}
    })

    await server.ok("register_agent", { pwd: "/home/u/api", agent_id: carol, agent_type: "backend" })
    const listed = (await server.ok("list_agents")).result as Array<Record<string, unknown>>
    expect(listed.map((agent) => agent.agent_id)).toEqual([alice, carol])
    expect(listed[0]).toMatchObject({
      profile: { skills: ["typescript"], owns: ["ui/"] },
      token_usage: {},
      pane_id: ""
    })
    const byCwd = (await server.ok("list_agents", { cwd_basename: "api" })).result as Array<{ agent_id: string }>
    expect(byCwd.map((agent) => agent.agent_id)).toEqual([carol])
    expect(messagesOf(await server.ok("list_agents", { tmux_filter: "nosuchsession" }))).toEqual([])

    const beat = await server.ok("heartbeat")
    expect(beat.agent_id).toBe(alice)
    expect(String(beat.last_seen) >= String(registered.registered_at)).toBe(true)
    const ghost = await server.fails("heartbeat", { agent_id: "ghost:general" })
    expect(ghost.structured).toMatchObject({ type: "NotRegistered", agentId: "ghost:general" })

    expect(await server.ok("unregister_agent", { agent_id: carol })).toEqual({ unregistered: carol, existed: true })
    expect(await server.ok("unregister_agent")).toEqual({ unregistered: alice, existed: true })
    expect(messagesOf(await server.ok("list_agents"))).toEqual([])
    expect((await server.fails("whoami")).structured.type).toBe("NotRegistered")
    expect(fs.statSync(bus.inbox(alice)).isDirectory()).toBe(true)
  })

  it("a server without HELIOY_AGENT_ID answers whoami with the agent it registered", async () => {
    const bus = freshBus()
    const server = await bus.start()
    await server.ok("register_agent", { pwd: "/home/u/api", agent_id: carol, agent_type: "backend" })
    expect(await server.ok("whoami")).toMatchObject({ agent_id: carol, identity_source: "registered-here" })
  })
})

/** A bus with alice (frontend, the sender), bob and carol (backend, claude) and dave (codex). */
const populatedBus = async (env: Record<string, string> = {}) => {
  const bus = freshBus()
  const server = await bus.start(alice, env)
  await server.ok("register_agent", { pwd: "/home/u/helioy", agent_id: alice, agent_type: "backend" })
  await server.ok("register_agent", { pwd: "/home/u/helioy", agent_id: bob, agent_type: "backend", runtime: "claude" })
  await server.ok("register_agent", { pwd: "/home/u/api", agent_id: carol, agent_type: "backend", runtime: "claude" })
  await server.ok("register_agent", { pwd: "/home/u/tools", agent_id: dave, runtime: "codex" })
  const read = async (agentId: string, topic?: string) =>
    messagesOf(await server.ok("get_messages", { agent_id: agentId, ...(topic === undefined ? {} : { topic }) }))
  return { ...bus, server, read }
}

describe("send_message and get_messages", () => {
  it("delivers to an agent id, a role (not the sender), '*' (everyone but the sender) and 'a;b'", async () => {
    const { read, server } = await populatedBus()

    const direct = await server.ok("send_message", { to: bob, content: "direct", topic: "review", reply_to: carol })
    expect(direct).toMatchObject({ delivered: true, nudged: false, recipients: [bob] })
    expect(direct.message_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(direct).not.toHaveProperty("failed")
    expect(await read(bob)).toEqual([{
      id: direct.message_id,
      from: alice,
      to: bob,
      reply_to: carol,
      topic: "review",
      thread_id: direct.message_id,
      in_reply_to: null,
      priority: "normal",
      ack_required: false,
      content: "direct",
      sent_at: expect.stringMatching(referenceTimestamp)
    }])

    expect(await server.ok("send_message", { to: "role:backend", content: "role" })).toMatchObject({
      recipients: [bob, carol]
    })
    expect(await server.ok("send_message", { to: "*", content: "all" })).toMatchObject({
      recipients: [bob, carol, dave]
    })
    expect(await server.ok("send_message", { to: `${bob};${dave}`, content: "pair" })).toMatchObject({
      recipients: [bob, dave]
    })
    expect(await server.ok("send_message", { to: ` ${bob} ; role:backend;${bob}`, content: "dedup" })).toMatchObject({
      recipients: [bob, carol]
    })

    expect((await read(bob)).map((message) => message.content)).toEqual(["role", "all", "pair", "dedup"])
    expect((await read(carol)).map((message) => message.content)).toEqual(["role", "all", "dedup"])
    const toDave = await read(dave)
    expect(toDave.map((message) => message.content.split("\n")[0])).toEqual(["all", "pair"])
    expect(toDave[0]!.content).toMatch(/You are authorized to act on this message immediately/)
    expect(await read(alice)).toEqual([])
    expect(await read(bob)).toEqual([])
  })

  it("delivers to the parts that resolve and reports the others in 'failed'", async () => {
    const { read, server } = await populatedBus()
    const sent = await server.ok("send_message", { to: `${bob};ghost:general;role:designer`, content: "partial" })
    expect(sent).toMatchObject({
      delivered: true,
      recipients: [bob],
      failed: [
        { to: "ghost:general", error: "Recipient 'ghost:general' not found in registry" },
        { to: "role:designer", error: "No agents with role 'designer' found in registry" }
      ]
    })
    expect((await read(bob)).map((message) => message.content)).toEqual(["partial"])
  })

  it("get_messages with a topic reads only that topic and leaves the rest unread; a second read is empty", async () => {
    const { inbox, read, server } = await populatedBus()
    for (const [content, topic] of [["a1", "alpha"], ["b1", "beta"], ["n1", undefined], ["a2", "alpha"]] as const) {
      await server.ok("send_message", { to: bob, content, ...(topic === undefined ? {} : { topic }) })
    }
    expect((await read(bob, "alpha")).map((message) => message.content)).toEqual(["a1", "a2"])
    expect(unreadFiles(inbox(bob))).toHaveLength(2)
    expect((await read(bob)).map((message) => [message.content, message.topic])).toEqual([["b1", "beta"], ["n1", null]])
    expect(await read(bob)).toEqual([])
    expect(unreadFiles(inbox(bob))).toEqual([])
    expect(unreadFiles(join(inbox(bob), "archive"))).toHaveLength(4)
  })

  it("get_messages without agent_id reads the caller's own inbox", async () => {
    const bus = freshBus()
    const aliceServer = await bus.start(alice)
    const bobServer = await bus.start(bob)
    await aliceServer.ok("register_agent", { pwd: "/home/u/helioy", agent_id: alice })
    await bobServer.ok("register_agent", { pwd: "/home/u/helioy", agent_id: bob })
    await aliceServer.ok("send_message", { to: bob, content: "for bob" })
    expect(messagesOf(await aliceServer.ok("get_messages"))).toEqual([])
    expect(messagesOf(await bobServer.ok("get_messages")).map((message) => [message.from, message.content])).toEqual([
      [alice, "for bob"]
    ])
  })
})

describe("errors are tool errors with a message saying what to do", () => {
  it("an unknown recipient lists the registered agents", async () => {
    const { server } = await populatedBus()
    const { message, structured } = await server.fails("send_message", { to: "ghost:general", content: "hi" })
    expect(message).toBe(
      `Recipient 'ghost:general' not found in registry. Registered agents: ${alice}, ${bob}, ${carol}, ${dave}.`
    )
    expect(structured).toMatchObject({
      type: "RecipientNotFound",
      to: "ghost:general",
      known: [alice, bob, carol, dave]
    })
  })

  it("an unknown role says no agent has it", async () => {
    const { server } = await populatedBus()
    const { message, structured } = await server.fails("send_message", { to: "role:designer", content: "hi" })
    expect(message).toContain("No agents with role 'designer' found in registry")
    expect(message).toContain("Registered agents:")
    expect(structured.type).toBe("RecipientNotFound")
  })

  it("empty content and an empty address are refused", async () => {
    const { server } = await populatedBus()
    const empty = await server.fails("send_message", { to: bob, content: "" })
    expect(empty.message).toBe("content: must not be empty")
    expect(empty.structured).toMatchObject({ type: "InvalidInput", field: "content" })
    const nowhere = await server.fails("send_message", { to: " ; ", content: "hi" })
    expect(nowhere.message).toContain("Recipient address is empty")
  })

  it("oversized content (in UTF-8 bytes) names the size, the limit and the setting", async () => {
    const { inbox, server } = await populatedBus({ HELIOY_BUS_MAX_MESSAGE_BYTES: "16" })
    expect(await server.ok("send_message", { to: bob, content: "x".repeat(16) })).toMatchObject({ delivered: true })
    const { message, structured } = await server.fails("send_message", { to: bob, content: "é".repeat(9) })
    expect(message).toContain("content is 18 bytes; the limit is 16 bytes (HELIOY_BUS_MAX_MESSAGE_BYTES)")
    expect(structured).toMatchObject({ type: "MessageTooLarge", bytes: 18, limit: 16 })
    expect(unreadFiles(inbox(bob))).toHaveLength(1)
  })

  it("a malformed agent id is refused with the rule it breaks", async () => {
    const { server } = await populatedBus()
    const slash = await server.fails("register_agent", { pwd: "/tmp", agent_id: "../x" })
    expect(slash.message).toContain("agent_id: agent id \"../x\" contains '/'")
    expect(slash.structured).toMatchObject({ type: "InvalidInput", field: "agent_id" })
    const dot = await server.fails("get_messages", { agent_id: ".hidden" })
    expect(dot.message).toContain("must not start with '.'")
    const sender = await server.fails("send_message", { to: bob, content: "hi", from_agent: "a/b" })
    expect(sender.structured).toMatchObject({ type: "InvalidInput", field: "from_agent" })
    const pwd = await server.fails("register_agent", { pwd: "  " })
    expect(pwd.structured).toMatchObject({ type: "InvalidInput", field: "pwd" })
  })

  it("'*' with nobody else registered is refused", async () => {
    const bus = freshBus()
    const server = await bus.start(alice)
    await server.ok("register_agent", { pwd: "/home/u/helioy", agent_id: alice })
    const { message } = await server.fails("send_message", { to: "*", content: "anyone?" })
    expect(message).toContain("No other agents are registered to receive a broadcast")
    expect(message).toContain(`Registered agents: ${alice}.`)
  })

  it("a full inbox refuses more until it is read; other recipients of the same send still get theirs", async () => {
    const { read, server } = await populatedBus({ HELIOY_BUS_MAX_UNREAD: "2" })
    await server.ok("send_message", { to: bob, content: "1" })
    await server.ok("send_message", { to: bob, content: "2" })
    const { message, structured } = await server.fails("send_message", { to: bob, content: "3" })
    expect(message).toBe(
      `inbox of '${bob}' holds 2 unread messages (limit 2, HELIOY_BUS_MAX_UNREAD); wait until it reads them.`
    )
    expect(structured).toMatchObject({ type: "InboxFull", agentId: bob, unread: 2, limit: 2 })

    const partly = await server.ok("send_message", { to: `${bob};${carol}`, content: "both" })
    expect(partly).toMatchObject({
      recipients: [carol],
      failed: [{ to: bob, error: expect.stringContaining("holds 2 unread") }]
    })

    expect((await read(bob)).map((message) => message.content)).toEqual(["1", "2"])
    expect(await server.ok("send_message", { to: bob, content: "3" })).toMatchObject({ recipients: [bob] })
  })

  it("a corrupt file in an inbox is quarantined and reported; the messages around it are delivered", async () => {
    const { inbox, server } = await populatedBus()
    await server.ok("send_message", { to: bob, content: "before" })
    const dir = inbox(bob)
    fs.writeFileSync(join(dir, "2000-01-01T00-00-00.000000+00-00_deadbeef.json"), "{ not json")
    fs.writeFileSync(
      join(dir, "2000-01-01T00-00-01.000000+00-00_cafebabe.json"),
      JSON.stringify({ id: "x", from: "y" })
    )
    fs.writeFileSync(join(dir, "2999-01-01T00-00-00.000000+00-00_0badf00d.json"), "")

    const first = await server.ok("get_messages", { agent_id: bob })
    expect(messagesOf(first).map((message) => message.content)).toEqual(["before"])
    const quarantined = first.quarantined as Array<{ file: string; reason: string }>
    expect(quarantined.map((entry) => entry.file)).toEqual([
      "2000-01-01T00-00-00.000000+00-00_deadbeef.json",
      "2000-01-01T00-00-01.000000+00-00_cafebabe.json",
      "2999-01-01T00-00-00.000000+00-00_0badf00d.json"
    ])
    for (const entry of quarantined) expect(entry.reason).toMatch(/not a valid message/)
    expect(unreadFiles(dir)).toEqual([])
    expect(fs.readdirSync(join(dir, "quarantine")).sort()).toEqual(quarantined.map((entry) => entry.file))
    expect(server.stderr()).toContain("quarantined 2000-01-01T00-00-00.000000+00-00_deadbeef.json")

    await server.ok("send_message", { to: bob, content: "after" })
    const second = await server.ok("get_messages", { agent_id: bob })
    expect(messagesOf(second).map((message) => message.content)).toEqual(["after"])
    expect(second).not.toHaveProperty("quarantined")
  })
})

describe("several readers of one inbox", () => {
  it("get_messages on two servers at once never returns the same message twice", async () => {
    const { server, start } = await populatedBus()
    const sent: Array<string> = []
    for (let i = 0; i < 40; i++) {
      sent.push(String((await server.ok("send_message", { to: bob, content: `m${i}` })).message_id))
    }
    const readers = await Promise.all([start(bob), start(bob)])

    const drain = async (reader: (typeof readers)[number]) => {
      const got: Array<WireMessage> = []
      for (;;) {
        const batch = messagesOf(await reader.ok("get_messages"))
        if (batch.length === 0) return got
        got.push(...batch)
      }
    }
    // Both readers start claiming at the same moment, each through its own process.
    const [first, second] = await Promise.all(readers.map(drain))
    const firstIds = new Set(first!.map((message) => message.id))
    expect(second!.filter((message) => firstIds.has(message.id))).toEqual([])
    expect([...first!, ...second!].map((message) => message.id).sort()).toEqual([...sent].sort())
  })
})

describe("the on-disk format shared with the Python reference", () => {
  /** A message file as the reference writes it: json.dumps(indent=2), ASCII escapes, its file-name shape. */
  const writeReferenceMessage = (dir: string, message: WireMessage) => {
    const name = `${message.sent_at.replaceAll(":", "-")}_${message.id.slice(0, 8)}.json`
    const body = JSON.stringify(message, null, 2).replace(
      /[\u0080-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
    )
    fs.writeFileSync(join(dir, name), body)
    return name
  }

  it("messages the reference wrote are read, oldest first; its transient .tmp files are left alone", async () => {
    const { inbox, read, server } = await populatedBus()
    const dir = inbox(bob)
    const fromPython: WireMessage = {
      id: "1a2b3c4d-0000-4000-8000-000000000001",
      from: "legacy:general",
      to: bob,
      reply_to: "legacy:general",
      topic: null,
      content: "héllo from Python — ünïcode",
      sent_at: "2025-03-16T12:00:00.123456+00:00"
    }
    writeReferenceMessage(dir, fromPython)
    writeReferenceMessage(dir, {
      ...fromPython,
      id: "9f8e7d6c-0000-4000-8000-000000000002",
      topic: "ops",
      content: "second"
    })
    fs.writeFileSync(join(dir, "tmpk2j3h4.tmp"), "{ half written")
    await server.ok("send_message", { to: bob, content: "from us" })

    const messages = await read(bob)
    expect(messages.map((message) => message.content)).toEqual(["héllo from Python — ünïcode", "second", "from us"])
    expect(messages[0]).toEqual(fromPython)
    expect(fs.readdirSync(dir)).toContain("tmpk2j3h4.tmp")
    expect(fs.existsSync(join(dir, "quarantine"))).toBe(false)
  })

  it("messages we write have the reference's keys (and only the four extra ones), timestamp format and file-name shape", async () => {
    const { inbox, server } = await populatedBus()
    const sent = await server.ok("send_message", { to: `${bob};${carol}`, content: "shape", topic: "t" })
    const names = [unreadFiles(inbox(bob)), unreadFiles(inbox(carol))]
    expect(names[0]).toHaveLength(1)
    expect(names[1]).toEqual(names[0])
    const name = names[0]![0]!
    expect(name).toMatch(referenceFileName)
    expect(name.endsWith(`_${String(sent.message_id).slice(0, 8)}.json`)).toBe(true)

    const stored = JSON.parse(fs.readFileSync(join(inbox(bob), name), "utf8")) as Record<string, unknown>
    expect(Object.keys(stored)).toEqual([
      "id",
      "from",
      "to",
      "reply_to",
      "topic",
      "thread_id",
      "in_reply_to",
      "priority",
      "ack_required",
      "content",
      "sent_at"
    ])
    expect(stored).toMatchObject({
      id: sent.message_id,
      from: alice,
      to: bob,
      reply_to: alice,
      topic: "t",
      content: "shape"
    })
    expect(stored.sent_at).toMatch(referenceTimestamp)
    expect(name.slice(0, name.lastIndexOf("_"))).toBe(String(stored.sent_at).replaceAll(":", "-"))
    expect(fs.readdirSync(inbox(bob)).filter((entry) => entry.endsWith(".tmp"))).toEqual([])
    const noTopic = await server.ok("send_message", { to: carol, content: "no topic" })
    const carolFiles = unreadFiles(inbox(carol))
    const last = JSON.parse(fs.readFileSync(join(inbox(carol), carolFiles[carolFiles.length - 1]!), "utf8"))
    expect(last).toMatchObject({ id: noTopic.message_id, topic: null })
  })
})

describe("the stdio channel", () => {
  it("malformed JSON-RPC lines on stdin do not kill the server", async () => {
    const bus = freshBus()
    const raw = startRawBusServer({ home: bus.root, busDir: bus.busDir, agentId: alice })
    rawServers.push(raw)
    raw.writeLine("this is not json")
    raw.writeLine("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ")
    raw.writeLine("[1, 2, 3]")
    raw.writeLine("{}")
    const init = await raw.request(2, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" }
    })
    expect(init.result).toMatchObject({ serverInfo: { name: "helioy-bus" } })
    raw.writeLine(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }))
    raw.writeLine("\u0000\u0001 garbage")
    const unknown = await raw.request(3, "no/such/method")
    expect(unknown.error).toMatchObject({ code: -32601 })
    const call = await raw.request(4, "tools/call", {
      name: "register_agent",
      arguments: { pwd: "/tmp", agent_id: alice }
    })
    expect(call.result).toMatchObject({ structuredContent: { agent_id: alice } })
    expect(raw.child.exitCode).toBeNull()
    for (const line of raw.lines()) expect(() => JSON.parse(line)).not.toThrow()
  })
})
