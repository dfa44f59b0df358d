/**
 * Input that used to reach the disk, a terminal or an internal error: ids with invisible characters or too many
 * bytes, registry rows another version wrote, a pathological profile, hook events with one bad field, and a JSON-RPC
 * line longer than the transport takes. Through the built server and hook binary, on real directories.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { statusTable } from "../../src/cli/warroomOutput.js"
import { openDatabase } from "../integration/referenceDb.js"
import { freshHookBus } from "../support/hookBus.js"
import * as events from "../support/hookEvents.js"
import { type FakeRuntime, killHookProcesses, startFakeRuntime } from "../support/hookProcess.js"
import { makeTempDir, type RawBusServer, removeTempDirs, serverPool, startRawBusServer } from "../support/mcpClient.js"
import { messagesOf } from "../support/stressBus.js"

const servers = serverPool()
const rawServers: Array<RawBusServer> = []
const runtimes: Array<FakeRuntime> = []

afterEach(async () => {
  await servers.closeAll()
  await Promise.all(rawServers.splice(0).map((raw) => raw.stop()))
  killHookProcesses()
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()))
  removeTempDirs()
})

const freshBus = async () => {
  const root = makeTempDir("helioy-input-")
  const busDir = join(root, "bus")
  const start = (agentId: string, env: Record<string, string> = {}) =>
    servers.start({ home: root, busDir, agentId, env })
  const me = await start("me:general")
  await me.ok("register_agent", { pwd: root })
  return { root, busDir, me, start, inboxes: () => fs.readdirSync(join(busDir, "inbox")).sort() }
}

const listed = async (server: { ok: (name: string) => Promise<Record<string, unknown>> }) =>
  ((await server.ok("list_agents")).result as Array<{ agent_id: string }>).map((row) => row.agent_id)

describe("agent ids", () => {
  const invisible = [
    ["C1 CSI (U+009B)", "evil\u009b2Jid"],
    ["C1 NEL (U+0085)", "next\u0085line"],
    ["right-to-left override (U+202E, format)", "user\u202etxt.exe"],
    ["zero-width space (U+200B, format)", "zero\u200bwidth"],
    ["byte order mark (U+FEFF, format)", "b\ufeffom"],
    ["a lone surrogate", "half\ud800"]
  ] as const

  for (const [what, id] of invisible) {
    it(`an id holding ${what} is refused by every tool before anything is written`, async () => {
      const bus = await freshBus()
      const before = { agents: await listed(bus.me), inboxes: bus.inboxes() }
      for (
        const [tool, args] of [
          ["register_agent", { pwd: bus.root, agent_id: id }],
          ["send_message", { to: id, content: "x" }],
          ["send_message", { to: "me:general", content: "x", from_agent: id }],
          ["get_messages", { agent_id: id }],
          ["heartbeat", { agent_id: id }]
        ] as const
      ) {
        const { message, structured } = await bus.me.fails(tool, args)
        expect(structured.type, `${tool} ${JSON.stringify(args)}`).toMatch(/InvalidInput|RecipientNotFound/)
        // The refusal names the character, and never carries it raw to whoever prints it.
        expect(message).toMatch(/U\+[0-9A-F]{4}/)
        expect(message).not.toContain(id)
      }
      expect({ agents: await listed(bus.me), inboxes: bus.inboxes() }).toEqual(before)
    })
  }

  it("an id of 150 × 'é' (300 bytes) is refused as too long in bytes, leaving no registry row and no inbox", async () => {
    const bus = await freshBus()
    const id = "é".repeat(150)
    const { message, structured } = await bus.me.fails("register_agent", { pwd: bus.root, agent_id: id })
    expect(structured).toMatchObject({ type: "InvalidInput", field: "agent_id" })
    expect(message).toMatch(/300 bytes in UTF-8; the limit is 200 bytes/)
    expect(await listed(bus.me)).toEqual(["me:general"])
    expect(bus.inboxes()).toEqual(["me:general"])
    const broadcast = await bus.me.fails("send_message", { to: "*", content: "anyone?" })
    expect(broadcast.structured.type).toBe("RecipientNotFound")
  })

  it("an id derived from a long directory name (in bytes) is cut to 200 bytes and works", async () => {
    const bus = await freshBus()
    const pwd = join(bus.root, "ü".repeat(120))
    fs.mkdirSync(pwd)
    const other = await bus.start("")
    const { agent_id } = await other.ok("register_agent", { pwd, agent_type: "worker" })
    expect(Buffer.byteLength(String(agent_id))).toBeLessThanOrEqual(200)
    await bus.me.ok("send_message", { to: String(agent_id), content: "fits" })
    expect(messagesOf(await bus.me.ok("get_messages", { agent_id }))).toHaveLength(1)
  })

  it("a registry row another version wrote with an id this one refuses (team/api) is skipped in fan-out with a warning", async () => {
    const bus = await freshBus()
    const peer = await bus.start("peer:general")
    await peer.ok("register_agent", { pwd: bus.root })
    const db = openDatabase(join(bus.busDir, "registry.db"))
    const now = new Date().toISOString().replace("Z", "000+00:00")
    db.prepare(
      "INSERT INTO agents (agent_id, cwd, tmux_target, pane_id, pid, session_id, agent_type, runtime, registered_at, last_seen) VALUES (?, ?, '', '', NULL, '', 'general', 'claude', ?, ?)"
    ).run("team/api", bus.root, now, now)
    db.close()

    const broadcast = await bus.me.ok("send_message", { to: "*", content: "to everyone" })
    const role = await bus.me.ok("send_message", { to: "role:general", content: "to the role" })

    expect(broadcast.recipients).toEqual(["peer:general"])
    expect(role.recipients).toEqual(["peer:general"])
    expect(messagesOf(await peer.ok("get_messages")).map((message) => message.content)).toEqual([
      "to everyone",
      "to the role"
    ])
    expect(bus.me.stderr()).toMatch(/skipping registered agent \\?"team\/api\\?": agent id .* contains '\/'/)
    expect(fs.existsSync(join(bus.busDir, "team"))).toBe(false)
    expect(bus.inboxes()).toEqual(["me:general", "peer:general"])
  })

  it("helioy-warroom status shows a foreign row's invisible characters escaped, never raw", () => {
    const member = {
      warroom_member_id: "0123456789abcdef",
      desired_role: "general",
      desired_runtime: "claude",
      tmux_target: "main:1.0",
      pane_id: "%3",
      pane_alive: true,
      registered: true,
      agent_instance_id: "evil\u009b2J\u202e",
      last_seen: null
    }
    const text = statusTable(
      [
        {
          warroom_id: "war",
          tmux_window: "main:1",
          status: "active",
          layout: "tiled",
          cwd: "/w\u0085x",
          members: [member]
        }
      ] as unknown as Parameters<typeof statusTable>[0]
    )
    expect(text).toContain("evil\\u{009B}2J\\u{202E}")
    expect(text).not.toMatch(/[\u0080-\u009f\u202e]/)
  })
})

describe("profile", () => {
  const rawBus = async () => {
    const root = makeTempDir("helioy-input-")
    const raw = startRawBusServer({ home: root, busDir: join(root, "bus"), agentId: "deep:general" })
    rawServers.push(raw)
    const initialized = await raw.request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" }
    })
    expect(initialized.result).toBeDefined()
    raw.writeLine(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }))
    return { root, raw }
  }

  const errorText = (answer: Record<string, unknown>) => JSON.stringify(answer.result ?? answer.error)

  it("a profile nested 50,000 deep is refused with a clear InvalidInput, and nothing is registered", async () => {
    const { raw, root } = await rawBus()
    const depth = 50_000
    const profile = `${"{\"a\":".repeat(depth)}1${"}".repeat(depth)}`
    raw.writeLine(
      `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"register_agent","arguments":{"pwd":${
        JSON.stringify(root)
      },"profile":${profile}}}}`
    )
    const answer = await new Promise<Record<string, unknown>>((resolve) => {
      const poll = setInterval(() => {
        const line = raw.lines().find((candidate) => candidate.includes("\"id\":2"))
        if (line !== undefined) {
          clearInterval(poll)
          resolve(JSON.parse(line) as Record<string, unknown>)
        }
      }, 10)
    })
    expect(errorText(answer)).toMatch(/profile: profile nests deeper than 32 levels/)
    expect(errorText(answer)).not.toMatch(/internal error/)
    const agents = await raw.request(3, "tools/call", { name: "list_agents", arguments: {} })
    expect((agents.result as { structuredContent: { result: Array<unknown> } }).structuredContent.result).toEqual([])
  })

  it("a profile over 64 KiB is refused; one within the limits is stored", async () => {
    const { raw, root } = await rawBus()
    const big = await raw.request(2, "tools/call", {
      name: "register_agent",
      arguments: { pwd: root, profile: { notes: "n".repeat(70_000) } }
    })
    expect(errorText(big)).toMatch(/profile: profile is \d+ bytes as JSON; the limit is 65536/)
    const fine = await raw.request(3, "tools/call", {
      name: "register_agent",
      arguments: { pwd: root, profile: { owns: ["api"], skills: { rust: { level: 3 } } } }
    })
    expect(errorText(fine)).toContain("deep:general")
  })
})

describe("hook events", () => {
  it("an event with one field of the wrong type (reason: null) keeps its other fields: the session id still finds the agent", async () => {
    const bus = freshHookBus()
    const runtime = startFakeRuntime()
    const stranger = startFakeRuntime()
    runtimes.push(runtime, stranger)
    const env = (pid: number) => ({
      HELIOY_RUNTIME: "claude",
      HELIOY_BUS_CLAUDE_PID: String(pid),
      HELIOY_AGENT_ID: "api:worker"
    })
    const session = bus.session("s-null-field")
    await bus.run("session-start", events.sessionStart(session), env(runtime.pid))
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:worker"])

    const { HELIOY_AGENT_ID: _, ...withoutId } = env(stranger.pid)
    const result = await bus.run(
      "session-end",
      { ...events.sessionEnd(session, "logout"), reason: null, source: 42 },
      withoutId
    )

    expect(result).toEqual({ code: 0, signal: null, stdout: "", stderr: "" })
    expect(bus.agents()).toEqual([])
  })
})

describe("the stdio transport", () => {
  it("a JSON-RPC line over 10 MiB stops the server with a line on stderr saying why and a non-zero exit", async () => {
    const root = makeTempDir("helioy-input-")
    const raw = startRawBusServer({ home: root, busDir: join(root, "bus"), agentId: "me:general" })
    rawServers.push(raw)
    await raw.request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" }
    })

    raw.writeLine(
      `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"send_message","arguments":{"to":"x","content":"${
        "y".repeat(11 * 1024 * 1024)
      }"}}}`
    )

    expect(await raw.exited).toBe(1)
    expect(raw.stderr()).toMatch(/the MCP connection closed: the client sent a JSON-RPC message longer than 10 MiB/)
  })
})
