/**
 * Modes whatever the umask, unsafe bus dirs refused, no path escape through ids, no content in tmux, inbox flood
 * capped.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { snapshotTree } from "../support/stressBus.js"
import { fakeTuiCommand, startTmuxServer } from "../support/tmuxServer.js"

const servers = serverPool()
const clients: Array<Client> = []

afterEach(async () => {
  await servers.closeAll()
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)))
  removeTempDirs()
})

const freshBus = () => {
  const root = makeTempDir("helioy-security-")
  const busDir = join(root, "bus")
  return {
    root,
    busDir,
    start: (agentId: string, env: Record<string, string> = {}) => servers.start({ home: root, busDir, agentId, env })
  }
}

const mode = (path: string) => (fs.lstatSync(path).mode & 0o777).toString(8)
const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === "text" ? part.text : "")).join("")

describe("permissions", () => {
  it("a server started under umask 000 creates the bus dir and inboxes 0700 and every file 0600", async () => {
    const bus = freshBus()
    const transport = new StdioClientTransport({
      command: "/bin/sh",
      args: ["-c", `umask 000; exec "${process.execPath}" "${busBin}" serve`],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: bus.root,
        HELIOY_BUS_DIR: bus.busDir,
        HELIOY_AGENT_ID: "me:general"
      },
      stderr: "pipe"
    })
    const client = new Client({ name: "umask", version: "0" })
    clients.push(client)
    await client.connect(transport)
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      expect(result.isError, textOf(result)).toBeFalsy()
    }
    await call("register_agent", { pwd: bus.root })
    await call("send_message", { to: "me:general", content: "private", from_agent: "other:general" })
    await call("send_message", { to: "me:general", content: "still private", from_agent: "other:general" })
    await call("get_messages", { topic: "none" })
    await call("get_messages", {})
    // While the server runs, the registry's -wal and -shm exist too.
    const tree = snapshotTree(bus.busDir)
    const loose = Object.entries(tree).filter(([, entry]) =>
      entry.startsWith("dir ")
        ? !entry.endsWith(" 700")
        : entry.startsWith("file ")
        ? !/ 600 [\d.]+$/.test(entry)
        : true
    ).map(([path, entry]) => `${path.slice(bus.busDir.length)}: ${entry}`)
    expect(loose).toEqual([])
    expect(Object.keys(tree).some((path) => path.endsWith("registry.db-wal"))).toBe(true)
    expect(mode(bus.busDir)).toBe("700")
  })
})

describe("unsafe bus dirs", () => {
  it("a bus dir that is a symlink is refused with a message saying so", async () => {
    const bus = freshBus()
    const real = join(bus.root, "real")
    fs.mkdirSync(real, { mode: 0o700 })
    fs.symlinkSync(real, bus.busDir)
    const server = await bus.start("me:general")
    const { message } = await server.fails("register_agent", { pwd: bus.root })
    expect(message).toMatch(/symlink/)
    expect(fs.readdirSync(real)).toEqual([])
  })

  it("a group- or world-writable bus dir is refused, and accepted once fixed, without a restart", async () => {
    const bus = freshBus()
    fs.mkdirSync(bus.busDir)
    fs.chmodSync(bus.busDir, 0o777)
    const server = await bus.start("me:general")
    const { message } = await server.fails("register_agent", { pwd: bus.root })
    expect(message).toMatch(/chmod 700/)
    expect(fs.readdirSync(bus.busDir)).toEqual([])
    fs.chmodSync(bus.busDir, 0o700)
    await server.ok("register_agent", { pwd: bus.root })
  })
})

describe("ids cannot escape the bus dir", () => {
  const hostile = [
    "..",
    "../x",
    "../../etc",
    "a/b",
    "/abs",
    ".hidden",
    "x\0y",
    "inbox/../../x",
    "..\\x",
    "%2e%2e/x",
    "a\nb",
    " ",
    "x".repeat(5000)
  ]

  it("every tool refuses hostile ids with an error and writes nothing outside the bus dir", async () => {
    const bus = freshBus()
    const server = await bus.start("me:general")
    await server.ok("register_agent", { pwd: bus.root })
    const outside = snapshotTree(bus.root, [bus.busDir])
    const inboxesBefore = fs.readdirSync(join(bus.busDir, "inbox")).sort()
    for (const id of hostile) {
      for (
        const [tool, args] of [
          ["register_agent", { pwd: bus.root, agent_id: id }],
          ["unregister_agent", { agent_id: id }],
          ["heartbeat", { agent_id: id }],
          ["get_messages", { agent_id: id }],
          ["send_message", { to: id, content: "x" }],
          ["send_message", { to: "me:general", content: "x", from_agent: id }]
        ] as const
      ) {
        const result = await server.call(tool, args)
        if (!result.isError) {
          // Whitespace-only ids fall back to the caller; anything else must be refused.
          expect(id.trim(), `${tool} accepted ${JSON.stringify(id)}`).toBe("")
        } else expect(textOf(result).length).toBeGreaterThan(0)
      }
    }
    expect(snapshotTree(bus.root, [bus.busDir])).toEqual(outside)
    expect(fs.readdirSync(join(bus.busDir, "inbox")).sort()).toEqual(inboxesBefore)
    // (the whitespace id of unregister_agent fell back to the caller, so list rather than whoami)
    expect((await server.ok("list_agents")).result).toBeInstanceOf(Array)
  })
})

describe("tmux never receives message content", () => {
  it("a nudge through a recording tmux types only the fixed text, literally, then Enter", async () => {
    const bus = freshBus()
    const tmux = startTmuxServer(bus.root)
    try {
      const log = join(bus.root, "tmux.log")
      // Every tmux call is recorded, then run against the private server (whose pane runs a program, not a shell).
      const recordingTmux = join(bus.root, "recording-tmux")
      fs.writeFileSync(
        recordingTmux,
        [
          "#!/usr/bin/env node",
          `require("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n")`,
          `const result = require("child_process").spawnSync(${
            JSON.stringify(tmux.bin)
          }, process.argv.slice(2), { stdio: "inherit" })`,
          "process.exit(result.status ?? 1)"
        ].join("\n"),
        { mode: 0o700 }
      )
      const paneId = tmux.newSession("main", fakeTuiCommand(bus.root, join(bus.root, "tui.log")))
      await tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the fake TUI")
      const env = { HELIOY_TMUX_BIN: recordingTmux }
      const recipient = await bus.start("peer:general", env)
      await recipient.ok("register_agent", {
        pwd: bus.root,
        pane_id: paneId,
        tmux_target: tmux.target(paneId),
        runtime: "codex"
      })
      const sender = await bus.start("me:general", env)
      await sender.ok("register_agent", { pwd: bus.root })
      const secret = "SECRET-42'; rm -rf ~ #\n$(touch pwned)\u001b[2J"
      const sent = await sender.ok("send_message", { to: "peer:general", content: secret })
      expect(sent.nudged).toBe(true)
      const calls = fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Array<string>)
      const typed = calls.filter((argv) => argv.includes("send-keys"))
      expect(typed.length).toBeGreaterThanOrEqual(2)
      const literal = typed.find((argv) => argv.includes("-l"))!
      expect(literal.at(-1)).toBe(nudgeText)
      expect(literal).toContain(paneId)
      expect(typed.at(-1)).toContain("Enter")
      for (const argv of calls) {
        expect(argv.join(" ")).not.toContain("SECRET")
        expect(argv.join(" ")).not.toContain("pwned")
      }
    } finally {
      tmux.kill()
    }
  })
})

describe("inbox flooding", () => {
  it("a sender past HELIOY_BUS_MAX_UNREAD gets a clear error, and can send again once the inbox is read", async () => {
    const bus = freshBus()
    const env = { HELIOY_BUS_MAX_UNREAD: "5" }
    const reader = await bus.start("flooded:general", env)
    await reader.ok("register_agent", { pwd: bus.root })
    const flooder = await bus.start("flooder:general", env)
    for (let i = 0; i < 5; i++) await flooder.ok("send_message", { to: "flooded:general", content: `m${i}` })
    const { message, structured } = await flooder.fails("send_message", {
      to: "flooded:general",
      content: "one too many"
    })
    expect(message).toMatch(/flooded:general/)
    expect(message).toMatch(/5/)
    expect(structured.type).toBe("InboxFull")
    const inbox = join(bus.busDir, "inbox", "flooded:general")
    expect(fs.readdirSync(inbox).filter((name) => name.endsWith(".json"))).toHaveLength(5)
    expect((await reader.ok("get_messages")).result).toHaveLength(5)
    await flooder.ok("send_message", { to: "flooded:general", content: "after the read" })
  })
})
