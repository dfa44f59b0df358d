/**
 * Inbox states that used to wedge or hide mail, through the built server and the MCP SDK client on real directories:
 * an inbox too large for one reply, claimed/, archive/ or the whole inbox deleted under a running server, and many
 * senders racing for the last places under the unread cap.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { readBudgetBytes } from "../../src/domain/ReadLimits.js"
import { type BusServer, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { auditInbox, messagesOf, type WireMessage } from "../support/stressBus.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const reader = "reader:general"

const freshBus = async (env: Record<string, string> = {}) => {
  const root = makeTempDir("helioy-wedged-")
  const busDir = join(root, "bus")
  const start = (agentId: string) => servers.start({ home: root, busDir, agentId, env })
  const server = await start(reader)
  await server.ok("register_agent", { pwd: root })
  return { root, busDir, inbox: join(busDir, "inbox", reader), server, start }
}

/** Writes a message file the way the Python version does (temp file, rename), `content` as given. */
const plant = (inbox: string, n: number, content: string) => {
  const id = `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`
  const sentAt = `2026-03-16T12:00:${String(n % 60).padStart(2, "0")}.${String(n).padStart(6, "0")}+00:00`
  const message = {
    id,
    from: "python:general",
    to: reader,
    reply_to: "python:general",
    topic: null,
    content,
    sent_at: sentAt
  }
  const name = `${sentAt.replaceAll(":", "-")}_${id.slice(0, 8)}.json`
  fs.writeFileSync(join(inbox, `${name}.tmp`), JSON.stringify(message, null, 2), { mode: 0o600 })
  fs.renameSync(join(inbox, `${name}.tmp`), join(inbox, name))
  return id
}

/** Reads the inbox until `remaining` is 0, checking every reply against the limit and the byte budget. */
const drainInBatches = async (server: BusServer, limit?: number) => {
  const batches: Array<ReadonlyArray<WireMessage>> = []
  for (;;) {
    const reply = await server.ok("get_messages", limit === undefined ? {} : { limit })
    const batch = messagesOf(reply)
    expect(batch.length).toBeLessThanOrEqual(limit ?? 100)
    if (batch.length > 1) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(readBudgetBytes + 1024)
    batches.push(batch)
    if (reply.remaining === 0) return batches
    expect(batch.length, "a read with messages remaining returned none").toBeGreaterThan(0)
  }
}

describe("an inbox larger than one reply", () => {
  it("40 messages of 256 KiB are read in replies of at most 2 MiB, each saying how many remain, none lost, in order", async () => {
    const bus = await freshBus()
    const content = "m".repeat(256 * 1024)
    const ids = Array.from({ length: 40 }, (_, n) => plant(bus.inbox, n, content))

    const batches = await drainInBatches(bus.server)

    const read = batches.flat()
    expect(read.map((message) => message.id)).toEqual(ids)
    expect(read.every((message) => message.content === content)).toBe(true)
    expect(batches.length).toBeGreaterThan(5)
    await bus.server.ok("whoami")
    expect(auditInbox(bus.inbox)).toMatchObject({ unread: [], held: [], problems: [] })
    expect(await bus.server.ok("get_messages")).toEqual({ result: [], remaining: 0 })
  })

  it("limit caps one read; the rest stays unread, counted in remaining (of the topic, when one is asked for)", async () => {
    const bus = await freshBus()
    const sender = await bus.start("sender:general")
    for (let i = 0; i < 7; i++) {
      await sender.ok("send_message", { to: reader, content: `m${i}`, topic: i % 2 === 0 ? "even" : "odd" })
    }

    const first = await bus.server.ok("get_messages", { limit: 2 })
    expect(messagesOf(first).map((message) => message.content)).toEqual(["m0", "m1"])
    expect(first.remaining).toBe(5)
    const even = await bus.server.ok("get_messages", { topic: "even", limit: 1 })
    expect(messagesOf(even).map((message) => message.content)).toEqual(["m2"])
    expect(even.remaining).toBe(2)
    const rest = await bus.server.ok("get_messages", {})
    expect(messagesOf(rest).map((message) => message.content)).toEqual(["m3", "m4", "m5", "m6"])
    expect(rest.remaining).toBe(0)
    for (const limit of [0, -1, 1001]) {
      const { message, structured } = await bus.server.fails("get_messages", { limit })
      expect(message).toMatch(/limit: must be a whole number from 1 to 1000/)
      expect(structured.type).toBe("InvalidInput")
    }
  })
})

describe("directories deleted under a running server", () => {
  it("rm -rf claimed/: the same server still reads new mail", async () => {
    const bus = await freshBus()
    const sender = await bus.start("sender:general")
    await sender.ok("send_message", { to: reader, content: "before" })
    expect(messagesOf(await bus.server.ok("get_messages"))).toHaveLength(1)
    await bus.server.ok("whoami")
    fs.rmSync(join(bus.inbox, "claimed"), { recursive: true, force: true })

    await sender.ok("send_message", { to: reader, content: "after claimed/ was removed" })

    expect(messagesOf(await bus.server.ok("get_messages")).map((message) => message.content)).toEqual([
      "after claimed/ was removed"
    ])
    await bus.server.ok("whoami")
    expect(auditInbox(bus.inbox)).toMatchObject({ unread: [], held: [] })
  })

  it("rm -rf inbox/<id>: the same server's next send recreates it and delivers", async () => {
    const bus = await freshBus()
    const sender = await bus.start("sender:general")
    await sender.ok("send_message", { to: reader, content: "first" })
    fs.rmSync(bus.inbox, { recursive: true, force: true })

    await sender.ok("send_message", { to: reader, content: "after the inbox was removed" })

    expect(fs.statSync(bus.inbox).mode & 0o777).toBe(0o700)
    expect(messagesOf(await bus.server.ok("get_messages")).map((message) => message.content)).toEqual([
      "after the inbox was removed"
    ])
  })

  it("archive/ removed before a read: the message is archived again, not left in claimed/ to come back later", async () => {
    const bus = await freshBus()
    const sender = await bus.start("sender:general")
    await sender.ok("send_message", { to: reader, content: "one" })
    await bus.server.ok("get_messages")
    await bus.server.ok("whoami")
    fs.rmSync(join(bus.inbox, "archive"), { recursive: true, force: true })
    const sent = await sender.ok("send_message", { to: reader, content: "two" })

    expect(messagesOf(await bus.server.ok("get_messages")).map((message) => message.id)).toEqual([sent.message_id])

    // A read is settled once its reply is out; one more round trip makes sure the server got that far.
    await bus.server.ok("whoami")
    const audit = auditInbox(bus.inbox)
    expect(audit.held).toEqual([])
    expect(audit.archived).toEqual([sent.message_id])
    await bus.server.close()
    const next = await bus.start(reader)
    expect(messagesOf(await next.ok("get_messages"))).toEqual([])
  })
})

describe("entries planted where the inbox's own directories go", () => {
  it("a file at claimed/, a FIFO at quarantine/ and a symlink at archive/ are moved aside (never followed): reads go on", async () => {
    const bus = await freshBus()
    const outside = join(bus.root, "outside")
    fs.mkdirSync(outside, { mode: 0o700 })
    fs.rmSync(join(bus.inbox, "archive"), { recursive: true, force: true })
    fs.writeFileSync(join(bus.inbox, "claimed"), "not a directory")
    execFileSync("mkfifo", [join(bus.inbox, "quarantine")])
    fs.symlinkSync(outside, join(bus.inbox, "archive"))
    fs.writeFileSync(join(bus.inbox, "0000-00-00T00-00-00.000000+00-00_badbadba.json"), "{ corrupt")
    const sender = await bus.start("sender:general")
    const sent = await sender.ok("send_message", { to: reader, content: "still read" })

    const read = await bus.server.ok("get_messages")

    expect(messagesOf(read).map((message) => message.id)).toEqual([sent.message_id])
    expect(read.quarantined).toEqual([{
      file: "0000-00-00T00-00-00.000000+00-00_badbadba.json",
      reason: expect.stringMatching(/not a valid message/)
    }])
    await bus.server.ok("whoami")
    expect(fs.readdirSync(outside)).toEqual([])
    for (const name of ["claimed", "archive", "quarantine"]) {
      expect(fs.lstatSync(join(bus.inbox, name)).isDirectory()).toBe(true)
    }
    expect(auditInbox(bus.inbox).archived).toEqual([sent.message_id])
    expect(
      fs.readdirSync(bus.inbox).filter((name) => name.includes(".unusable.")).map((name) => name.split(".")[1]).sort()
    ).toEqual(["archive", "claimed", "quarantine"])
  })
})

describe("the unread cap under concurrency", () => {
  it("6 sender processes racing into an inbox capped at 20 get exactly 20 messages accepted", async () => {
    const bus = await freshBus({ HELIOY_BUS_MAX_UNREAD: "20" })
    const senders = await Promise.all(Array.from({ length: 6 }, (_, n) => bus.start(`racer${n}:general`)))

    const outcomes = await Promise.all(
      senders.flatMap((sender, n) =>
        Array.from({ length: 8 }, (_, i) => sender.call("send_message", { to: reader, content: `racer${n}#${i}` }))
      )
    )

    const accepted = outcomes.filter((outcome) => !outcome.isError)
    const refused = outcomes.filter((outcome) => outcome.isError)
    expect(accepted).toHaveLength(20)
    for (const outcome of refused) expect((outcome.structuredContent as Record<string, unknown>).type).toBe("InboxFull")
    expect(auditInbox(bus.inbox).unread).toHaveLength(20)
    expect(fs.readdirSync(bus.inbox).filter((name) => name.startsWith(".") && name !== ".waiter")).toEqual([])
  })

  it("a delivery lock or staged file left by a killed sender does not hold up later sends at the cap", async () => {
    const bus = await freshBus({ HELIOY_BUS_MAX_UNREAD: "2" })
    const sender = await bus.start("sender:general")
    const dead = 999_999_999
    fs.writeFileSync(join(bus.inbox, ".deliver.lock"), String(dead), { mode: 0o600 })
    fs.writeFileSync(
      join(bus.inbox, `.2026-03-16T12-00-00.000000+00-00_deadbeef.json.${dead}.0123456789ab.tmp`),
      "{}",
      { mode: 0o600 }
    )

    await sender.ok("send_message", { to: reader, content: "one" })
    await sender.ok("send_message", { to: reader, content: "two" })
    const { structured } = await sender.fails("send_message", { to: reader, content: "three" })

    expect(structured.type).toBe("InboxFull")
    expect(fs.readdirSync(bus.inbox).filter((name) => name.startsWith("."))).toEqual([])
  })
})
