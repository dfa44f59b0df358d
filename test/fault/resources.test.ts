/**
 * Resource faults under a real server: a read-only inbox and a full disk (a tiny tmpfs mounted on the inbox, when
 * this user may mount; else the read-only case by permissions). The sender gets a clear error, nothing partial is
 * left, and the bus recovers once the fault is removed.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { auditInbox, drain, reportFigures } from "../support/stressBus.js"

const servers = serverPool()
const mounts: Array<string> = []

const mount = (...args: ReadonlyArray<string>) => execFileSync("mount", args, { stdio: "pipe" })

afterEach(async () => {
  await servers.closeAll()
  for (const point of mounts.splice(0).reverse()) {
    try {
      execFileSync("umount", [point], { stdio: "pipe" })
    } catch {
      execFileSync("umount", ["-l", point], { stdio: "pipe" })
    }
  }
  removeTempDirs()
})

/** Whether this user can mount a tmpfs here (root in a container that allows it). */
const canMount = (() => {
  const probe = fs.mkdtempSync(join(tmpdir(), "helioy-mount-probe-"))
  try {
    mount("-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", probe)
    execFileSync("umount", [probe], { stdio: "pipe" })
    return true
  } catch {
    return false
  } finally {
    fs.rmSync(probe, { recursive: true, force: true })
  }
})()
const isRoot = process.getuid?.() === 0

/** A bus whose recipient inbox exists, with a sender and the recipient's reader running. */
const busWithInbox = async (recipient: string, root = makeTempDir("helioy-resources-")) => {
  const busDir = join(root, "bus")
  const reader = await servers.start({ home: root, busDir, agentId: recipient })
  await reader.ok("register_agent", { pwd: root })
  const sender = await servers.start({ home: root, busDir, agentId: "sender:general" })
  return { root, busDir, inbox: join(busDir, "inbox", recipient), reader, sender }
}

const leftovers = (inbox: string) => fs.readdirSync(inbox).filter((name) => name.startsWith(".") && name !== ".waiter")

describe("read-only inbox", () => {
  it(`a send into a read-only inbox fails with a clear error, leaves nothing behind, and works again once writable (${canMount ? "read-only bind mount" : "chmod 0500"})`, async () => {
    if (!canMount && isRoot) return // root ignores permission bits and cannot mount: no read-only inbox to make
    const recipient = "ro:general"
    const bus = await busWithInbox(recipient)
    // A bind mount of the inbox onto itself stays on the bus dir's device (a mount of another file system is refused).
    if (canMount) {
      mount("--bind", bus.inbox, bus.inbox)
      mounts.push(bus.inbox)
    }
    const first = await bus.sender.ok("send_message", { to: recipient, content: "before the fault" })
    const before = fs.readdirSync(bus.inbox).sort()
    if (canMount) mount("-o", "remount,ro,bind", bus.inbox)
    else fs.chmodSync(bus.inbox, 0o500)

    const { message, structured } = await bus.sender.fails("send_message", {
      to: recipient,
      content: "during the fault"
    })
    expect(message).toMatch(canMount ? /read-only file system/ : /permission denied/)
    expect(message).toContain(bus.inbox)
    expect(structured.type).toBe("MailboxUnavailable")
    expect(structured.code).toBe(canMount ? "EROFS" : "EACCES")
    expect(fs.readdirSync(bus.inbox).sort()).toEqual(before)
    // A reader cannot claim from it either, and says why; the message stays unread.
    const read = await bus.reader.fails("get_messages")
    expect(read.message).toMatch(canMount ? /read-only/ : /permission denied/)

    if (canMount) mount("-o", "remount,rw,bind", bus.inbox)
    else fs.chmodSync(bus.inbox, 0o700)
    const after = await bus.sender.ok("send_message", { to: recipient, content: "after the fault" })
    const got = await drain(bus.reader, recipient)
    expect(got.map((m) => m.id)).toEqual([first.message_id, after.message_id])
    const audit = auditInbox(bus.inbox)
    expect(audit.problems).toEqual([])
    expect(audit.held).toEqual([])
    expect(leftovers(bus.inbox)).toEqual([])
  })
})

describe.skipIf(!canMount)("full disk (the bus dir on a tiny tmpfs)", () => {
  it("sends fail with 'disk full' once the inbox's file system is full, nothing partial is left, and sending resumes when space is added", async () => {
    const recipient = "full:general"
    const root = makeTempDir("helioy-resources-")
    fs.mkdirSync(join(root, "bus"), { mode: 0o700 })
    mount("-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", join(root, "bus"))
    mounts.push(join(root, "bus"))
    const bus = await busWithInbox(recipient, root)
    // Leave about 96 KiB free for the inbox: the registry is written before, and only read while sending.
    const free = () => Number(fs.statfsSync(bus.busDir).bavail) * Number(fs.statfsSync(bus.busDir).bsize)
    const filler = join(bus.busDir, "presets", "filler")
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 96 * 1024)))
    const content = "z".repeat(20_000)
    const acknowledged: Array<string> = []
    let failure: { message: string; structured: Record<string, unknown> } | undefined
    for (let i = 0; i < 50 && failure === undefined; i++) {
      const result = await bus.sender.call("send_message", { to: recipient, content: `${i}:${content}` })
      if (result.isError) {
        failure = await bus.sender.fails("send_message", { to: recipient, content: `${i}:${content}` })
      } else acknowledged.push(String((result.structuredContent as Record<string, unknown>).message_id))
    }
    expect(failure, "the tmpfs never filled").toBeDefined()
    expect(failure!.message).toMatch(/disk .* is full/)
    expect(failure!.structured.type).toBe("MailboxUnavailable")
    expect(failure!.structured.code).toBe("ENOSPC")
    const audit = auditInbox(bus.inbox)
    expect(audit.problems).toEqual([])
    expect([...audit.unread].sort()).toEqual([...acknowledged].sort())
    expect(leftovers(bus.inbox)).toEqual([])

    fs.rmSync(filler)
    const after = await bus.sender.ok("send_message", { to: recipient, content: "after the fault" })
    const got = await drain(bus.reader, recipient)
    expect(got.map((m) => m.id)).toEqual([...acknowledged, after.message_id])
    for (const message of got.slice(0, -1)) expect(message.content.endsWith(content)).toBe(true)
    reportFigures("disk-full", { acceptedBeforeFull: acknowledged.length, lost: 0 })
  })

  it("a registry on a full disk gives a clear error to the caller, not a crash, and recovers", async () => {
    const root = makeTempDir("helioy-resources-")
    const busDir = join(root, "bus")
    fs.mkdirSync(busDir, { mode: 0o700 })
    mount("-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", busDir)
    mounts.push(busDir)
    const server = await servers.start({ home: root, busDir, agentId: "me:general" })
    await server.ok("register_agent", { pwd: root })
    // Fill the file system around the registry, then register agents until the registry cannot grow.
    const filler = join(busDir, "presets", "filler")
    try {
      fs.writeFileSync(filler, Buffer.alloc(1024 * 1024))
    } catch {
      // ENOSPC: full, as wanted
    }
    let refused: string | undefined
    for (let i = 0; i < 400 && refused === undefined; i++) {
      const result = await server.call("register_agent", {
        pwd: root,
        agent_id: `filler${i}:general`,
        profile: { pad: "p".repeat(4000) }
      })
      if (result.isError) refused = result.content.map((part) => (part.type === "text" ? part.text : "")).join("")
    }
    expect(refused, "the registry never filled").toBeDefined()
    expect(refused, server.stderr().slice(-3000)).toMatch(/full|SQLITE_FULL/i)
    fs.rmSync(filler)
    await server.ok("register_agent", { pwd: root, agent_id: "after:general" })
    expect((await server.ok("list_agents")).result).toBeInstanceOf(Array)
  })
})
