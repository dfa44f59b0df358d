/**
 * Property-based fuzzing through a real server: odd arguments to every tool, malformed JSON-RPC lines on stdin,
 * hostile inbox contents. The server never crashes, never writes outside the bus dir, and always answers with either
 * isError and a message, or a valid result.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { FastCheck as fc } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs, startRawBusServer } from "../support/mcpClient.js"
import {
  auditInbox,
  type KillableServer,
  longTest,
  messagesOf,
  reportFigures,
  runSeed,
  scaled,
  snapshotTree,
  startKillable
} from "../support/stressBus.js"

const running: Array<KillableServer> = []
const rawServers: Array<{ stop: () => Promise<void> }> = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close().catch(() => undefined)))
  await Promise.all(rawServers.splice(0).map((server) => server.stop()))
  removeTempDirs()
})

const freshBus = async () => {
  const root = makeTempDir("helioy-fuzz-")
  const busDir = join(root, "bus")
  const server = await startKillable({ home: root, busDir, agentId: "me:general" })
  running.push(server)
  await server.ok("register_agent", { pwd: root })
  await server.ok("register_agent", { pwd: root, agent_id: "peer:general" })
  return { root, busDir, server, inbox: (id: string) => join(busDir, "inbox", id) }
}

const specials = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u001b[31mred\u001b[0m\u001b]0;title\u0007",
  "line1\nline2\r\n",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "😀",
  "..",
  "../../etc/passwd",
  "/etc/passwd",
  "a/b",
  ".hidden",
  "%2e%2e%2f",
  "*",
  "role:general",
  "role:",
  ";;;",
  "me:general;peer:general",
  "peer:general",
  "me:general",
  "$(touch pwned)",
  "`id`",
  "\u202e",
  "x".repeat(5000)
]

const oddString = fc.oneof(
  fc.constantFrom(...specials),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 })
)
const content = fc.oneof(
  oddString,
  fc.constantFrom("y".repeat(200_000), "z".repeat(256 * 1024 + 1), "\u0000".repeat(10_000), "\ud800".repeat(1000))
)
const oddValue = fc.oneof({ weight: 6, arbitrary: oddString }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) })
const optional = <A>(arbitrary: fc.Arbitrary<A>) => fc.option(arbitrary, { nil: undefined, freq: 3 })

const toolCall = fc.oneof(
  fc.record({ tool: fc.constant("whoami"), args: fc.constant({}) }),
  fc.record({
    tool: fc.constant("register_agent"),
    args: fc.record({
      pwd: oddValue,
      agent_id: optional(oddValue),
      tmux_target: optional(oddString),
      pane_id: optional(oddString),
      agent_type: optional(oddString),
      runtime: optional(oddString),
      session_id: optional(oddString),
      profile: optional(fc.oneof(fc.constant(null), fc.dictionary(oddString, oddString, { maxKeys: 3 })))
    }, { requiredKeys: [] })
  }),
  fc.record({
    tool: fc.constant("unregister_agent"),
    args: fc.record({ agent_id: optional(oddValue) }, { requiredKeys: [] })
  }),
  fc.record({
    tool: fc.constant("heartbeat"),
    args: fc.record({ agent_id: optional(oddValue) }, { requiredKeys: [] })
  }),
  fc.record({
    tool: fc.constant("list_agents"),
    args: fc.record({ tmux_filter: optional(oddValue), cwd_basename: optional(oddValue) }, { requiredKeys: [] })
  }),
  fc.record({
    tool: fc.constant("send_message"),
    args: fc.record({
      to: fc.oneof(oddValue, fc.constantFrom("peer:general", "*", "role:general")),
      content,
      from_agent: optional(oddValue),
      reply_to: optional(oddValue),
      topic: optional(oddValue),
      nudge: optional(fc.oneof(fc.boolean(), oddValue))
    }, { requiredKeys: ["to", "content"] })
  }),
  fc.record({
    tool: fc.constant("get_messages"),
    args: fc.record(
      { agent_id: optional(fc.oneof(oddValue, fc.constant("peer:general"))), topic: optional(oddValue) },
      {
        requiredKeys: []
      }
    )
  })
)

/** Drops keys whose value is undefined (JSON would drop them anyway). */
const defined = (args: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined))

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === "text" ? part.text : "")).join("")

describe("tool arguments", () => {
  const numRuns = scaled(150, 2000)

  it(
    `${numRuns} random calls of every tool with odd ids, addresses and contents: always an answer, never a crash or a write outside the bus dir`,
    async () => {
      const bus = await freshBus()
      const outside = snapshotTree(bus.root, [bus.busDir])
      let errors = 0
      let results = 0
      let rejected = 0
      await fc.assert(
        fc.asyncProperty(toolCall, async ({ args, tool }) => {
          let result: CallToolResult
          try {
            result = (await bus.server.client.callTool({
              name: tool,
              arguments: defined(args as Record<string, unknown>)
            })) as CallToolResult
          } catch (error) {
            // A protocol-level refusal (invalid params) is an answer too, as long as it says something.
            rejected++
            expect((error as Error).message.length).toBeGreaterThan(0)
            return
          }
          if (result.isError) {
            errors++
            expect(textOf(result).trim().length, `${tool}: empty error`).toBeGreaterThan(0)
            expect(textOf(result)).not.toMatch(/internal error/)
          } else {
            results++
            expect(result.structuredContent, `${tool}: no structured result`).toBeTypeOf("object")
            expect(JSON.parse(textOf(result))).toEqual(result.structuredContent)
          }
        }),
        { numRuns, seed: runSeed }
      )
      // Still alive and answering, nothing outside the bus dir touched.
      expect(() => process.kill(bus.server.pid, 0)).not.toThrow()
      await bus.server.ok("list_agents")
      expect(snapshotTree(bus.root, [bus.busDir])).toEqual(outside)
      for (const path of Object.keys(snapshotTree(bus.busDir))) expect(path.startsWith(bus.busDir)).toBe(true)
      expect(fs.readdirSync(bus.busDir).sort()).toEqual(expect.arrayContaining(["inbox", "registry.db"]))
      expect(bus.server.stderr()).not.toMatch(/internal error|defect/i)
      reportFigures("fuzz-tools", { numRuns, results, errors, rejected })
    },
    longTest
  )
})

describe("malformed JSON-RPC", () => {
  const numRuns = scaled(100, 1000)

  it(
    `${numRuns} malformed lines on stdin never stop the server from answering, and stdout carries only JSON-RPC`,
    async () => {
      const root = makeTempDir("helioy-fuzz-")
      const raw = startRawBusServer({ home: root, busDir: join(root, "bus"), agentId: "me:general" })
      rawServers.push(raw)
      raw.child.setMaxListeners(0)
      const fixed = [
        "{",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{\"jsonrpc\":\"2.0\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"tools/list\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"tools/list\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"send_message\",\"arguments\":\"nope\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"no/such/method\"}",
        "\u0000\u0001\u0002",
        "x".repeat(1_000_000)
      ]
      let id = 100
      const initialized = await raw.request(id++, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "fuzz", version: "0" }
      })
      expect(initialized.result).toBeDefined()
      raw.writeLine(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }))
      for (const line of fixed) raw.writeLine(line)
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 200 }),
            fc.json(),
            fc.jsonValue().map((value) =>
              JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: value })
            )
          ),
          async (line) => {
            raw.writeLine(line.replace(/\n/g, " "))
            // After every malformed line, a well-formed request still gets its answer.
            const answer = await raw.request(id++, "tools/call", { name: "list_agents", arguments: {} })
            expect(answer.result ?? answer.error).toBeDefined()
          }
        ),
        { numRuns, seed: runSeed }
      )
      expect(raw.child.exitCode).toBeNull()
      for (const line of raw.lines()) expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow()
      reportFigures("fuzz-jsonrpc", { numRuns, fixedLines: fixed.length, stdoutLines: raw.lines().length })
    },
    longTest
  )
})

describe("hostile inbox contents", () => {
  it("corrupt, huge, symlinked, directory, FIFO and message-named files are quarantined; the valid message is read; nothing outside is touched", async () => {
    const bus = await freshBus()
    const inbox = bus.inbox("peer:general")
    const secret = join(bus.root, "outside-secret.json")
    const forged = {
      id: "forged",
      from: "x",
      to: "peer:general",
      reply_to: "x",
      topic: null,
      content: "from outside",
      sent_at: "2026-01-01T00:00:00.000000+00:00"
    }
    fs.writeFileSync(secret, JSON.stringify(forged))
    const name = (n: number) => `0000-00-00T00-00-0${n}.000000+00-00_bad0000${n}.json`
    fs.writeFileSync(join(inbox, name(0)), "{\"id\": \"trunc")
    fs.writeFileSync(join(inbox, name(1)), "")
    fs.writeFileSync(join(inbox, name(2)), JSON.stringify({ ...forged, id: 7 }))
    fs.writeFileSync(join(inbox, name(3)), Buffer.alloc(20 * 1024 * 1024, 120))
    fs.symlinkSync(secret, join(inbox, name(4)))
    fs.mkdirSync(join(inbox, name(5)))
    fs.writeFileSync(join(inbox, name(5), "inner.json"), JSON.stringify(forged))
    execFileSync("mkfifo", [join(inbox, name(6))])
    fs.symlinkSync("/dev/zero", join(inbox, name(7)))
    fs.writeFileSync(join(inbox, ".hidden.json"), "ignored: a dot file is never a message")
    fs.writeFileSync(join(inbox, "not-a-message.txt"), "ignored")
    // A dead claimer's leftover that is a symlink to the outside: put back, then quarantined, never followed.
    fs.mkdirSync(join(inbox, "claimed"), { recursive: true, mode: 0o700 })
    fs.symlinkSync(secret, join(inbox, "claimed", `999999999.${name(8)}`))
    const outside = snapshotTree(bus.root, [bus.busDir])

    const sent = await bus.server.ok("send_message", { to: "peer:general", content: "the real one" })
    const read = await bus.server.ok("get_messages", { agent_id: "peer:general" })
    expect(messagesOf(read).map((message) => message.id)).toEqual([sent.message_id])
    const quarantined = (read.quarantined as Array<{ file: string; reason: string }>).map((entry) => entry.file).sort()
    expect(quarantined).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(name).sort())
    for (const entry of read.quarantined as Array<{ reason: string }>) expect(entry.reason.length).toBeGreaterThan(0)
    expect(snapshotTree(bus.root, [bus.busDir])).toEqual(outside)
    expect(fs.readFileSync(secret, "utf8")).toBe(JSON.stringify(forged))
    expect(auditInbox(inbox).unread).toEqual([])
    expect(await bus.server.ok("get_messages", { agent_id: "peer:general" })).toEqual({ result: [], remaining: 0 })
  })

  const numRuns = scaled(30, 300)

  it(
    `${numRuns} inboxes of random files named like messages: the valid message is always read, the rest quarantined, the server keeps answering`,
    async () => {
      const bus = await freshBus()
      const inbox = bus.inbox("peer:general")
      let planted = 0
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.json().map((text) => Buffer.from(text))), {
            minLength: 1,
            maxLength: 6
          }),
          async (files) => {
            files.forEach((bytes, n) =>
              fs.writeFileSync(
                join(inbox, `0000-00-00T00-00-00.00000${n}+00-00_f${String(planted++).padStart(7, "0")}.json`),
                bytes
              )
            )
            const sent = await bus.server.ok("send_message", { to: "peer:general", content: "valid" })
            const read = await bus.server.ok("get_messages", { agent_id: "peer:general" })
            expect(messagesOf(read).map((message) => message.id)).toContain(sent.message_id)
            expect(auditInbox(inbox).unread).toEqual([])
            expect(fs.readdirSync(inbox).filter((entry) => entry.endsWith(".json"))).toEqual([])
          }
        ),
        { numRuns, seed: runSeed }
      )
      await bus.server.ok("whoami")
      reportFigures("fuzz-inbox", { numRuns, planted })
    },
    longTest
  )
})
