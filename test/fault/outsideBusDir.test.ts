/**
 * Links planted in the bus dir by a hostile co-resident process or a careless user: a symlinked archive/ or inbox, a
 * symlink at a pid file's temporary name, a hard link to a file elsewhere, a symlinked registry.db. Nothing outside
 * the bus dir is ever read, written, moved or deleted.
 */
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirLive from "../../src/layers/BusDirLive.js"
import * as PidFilesLive from "../../src/layers/PidFilesLive.js"
import { PidFiles } from "../../src/services/PidFiles.js"
import { openDatabase } from "../integration/referenceDb.js"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { messagesOf, snapshotTree } from "../support/stressBus.js"
import { id } from "../support/unitFixtures.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const reader = "reader:general"

const freshBus = async () => {
  const root = makeTempDir("helioy-outside-")
  const busDir = join(root, "bus")
  const outside = join(root, "outside")
  fs.mkdirSync(outside, { mode: 0o700 })
  const start = (agentId: string) => servers.start({ home: root, busDir, agentId })
  const server = await start(reader)
  await server.ok("register_agent", { pwd: root })
  const sender = await start("sender:general")
  return { root, busDir, outside, inbox: join(busDir, "inbox", reader), server, sender, start }
}

const eightDaysAgo = () => new Date(Date.now() - 8 * 86_400_000)

/** Files in `dir` that look like old archived messages and others, all aged past the archive TTL. */
const plantOldFiles = (dir: string) => {
  for (const name of ["2020-01-01T00-00-00.000000+00-00_0badf00d.json", "notes.txt", "photo.jpg"]) {
    fs.writeFileSync(join(dir, name), `precious ${name}`)
    fs.utimesSync(join(dir, name), eightDaysAgo(), eightDaysAgo())
  }
}

const forgedMessage = (to: string) =>
  JSON.stringify({
    id: "forged",
    from: "x",
    to,
    reply_to: "x",
    topic: null,
    content: "a secret from outside",
    sent_at: "2026-01-01T00:00:00.000000+00:00"
  })

describe("links out of the bus dir", () => {
  it("inbox/<id>/archive a symlink to another directory: reading prunes nothing there and still delivers", async () => {
    const bus = await freshBus()
    plantOldFiles(bus.outside)
    const before = snapshotTree(bus.outside)
    fs.rmSync(join(bus.inbox, "archive"), { recursive: true, force: true })
    fs.symlinkSync(bus.outside, join(bus.inbox, "archive"))
    const sent = await bus.sender.ok("send_message", { to: reader, content: "hello" })

    const read = await bus.server.ok("get_messages")

    expect(messagesOf(read).map((message) => message.id)).toEqual([sent.message_id])
    await bus.server.ok("whoami")
    expect(snapshotTree(bus.outside)).toEqual(before)
    expect(fs.readdirSync(join(bus.inbox, "claimed"))).toEqual([])
  })

  it("inbox/<id> a symlink to a directory outside: sends and reads are refused saying why, the outside is untouched", async () => {
    const bus = await freshBus()
    fs.writeFileSync(join(bus.outside, "2020-01-01T00-00-00.000000+00-00_0badf00d.json"), forgedMessage(reader))
    const before = snapshotTree(bus.outside)
    fs.rmSync(bus.inbox, { recursive: true, force: true })
    fs.symlinkSync(bus.outside, bus.inbox)

    const send = await bus.sender.fails("send_message", { to: reader, content: "must not land outside" })
    const read = await bus.server.fails("get_messages")

    for (const refused of [send, read]) {
      expect(refused.message).toMatch(/symlink/)
      expect(refused.message).toContain(bus.inbox)
      expect(refused.structured.type).toBe("MailboxUnavailable")
    }
    expect(snapshotTree(bus.outside)).toEqual(before)
  })

  it("a hard link in an inbox to a file elsewhere holding a message: quarantined, its content never returned", async () => {
    const bus = await freshBus()
    const secret = join(bus.outside, "secret.json")
    fs.writeFileSync(secret, forgedMessage(reader), { mode: 0o600 })
    const planted = "2020-01-01T00-00-00.000000+00-00_0badf00d.json"
    fs.linkSync(secret, join(bus.inbox, planted))
    const sent = await bus.sender.ok("send_message", { to: reader, content: "the real one" })

    const read = await bus.server.ok("get_messages")

    expect(messagesOf(read).map((message) => message.id)).toEqual([sent.message_id])
    expect(JSON.stringify(read)).not.toContain("a secret from outside")
    expect(read.quarantined).toEqual([{ file: planted, reason: expect.stringMatching(/hard link/) }])
    expect(fs.readFileSync(secret, "utf8")).toBe(forgedMessage(reader))
  })

  it("a symlink planted at a pid file's temporary name: the pid file is written, the link's target is not", async () => {
    const root = makeTempDir("helioy-outside-")
    const busDir = join(root, "bus")
    const target = join(root, "victim")
    fs.writeFileSync(target, "untouched")
    const layer = PidFilesLive.layer.pipe(
      Layer.provide(BusDirLive.layer),
      Layer.provide(BusConfigLive.layer({ busDir }))
    )
    await Effect.runPromise(Effect.provide(Effect.void, layer))
    const pid = 4242
    // The names a writer of pids/4242 has used for its temporary file.
    for (const name of [`${pid}.${process.pid}.tmp`, `${pid}.tmp`, `.${pid}.tmp`]) {
      fs.symlinkSync(target, join(busDir, "pids", name))
    }

    await Effect.runPromise(
      Effect.provide(Effect.flatMap(PidFiles, (pidFiles) => pidFiles.write(pid, id("agent:general"))), layer)
    )

    expect(fs.readFileSync(target, "utf8")).toBe("untouched")
    expect(fs.lstatSync(join(busDir, "pids", String(pid))).isFile()).toBe(true)
    expect(fs.readFileSync(join(busDir, "pids", String(pid)), "utf8")).toBe("agent:general")
  })
})

describe("registry.db and its WAL files as symlinks", () => {
  for (const file of ["registry.db", "registry.db-wal", "registry.db-shm"]) {
    it(`${file} a symlink: every tool refuses with a clear error, the link's target is untouched`, async () => {
      const root = makeTempDir("helioy-outside-")
      const busDir = join(root, "bus")
      const first = await servers.start({ home: root, busDir, agentId: "me:general" })
      await first.ok("register_agent", { pwd: root })
      await servers.closeAll()
      const target = join(root, `elsewhere-${file}`)
      if (file === "registry.db") fs.renameSync(join(busDir, file), target)
      else fs.writeFileSync(target, "not yours to write")
      fs.rmSync(join(busDir, file), { force: true })
      fs.symlinkSync(target, join(busDir, file))
      const before = snapshotTree(root, [busDir])

      const server = await servers.start({ home: root, busDir, agentId: "me:general" })
      const refused = await server.fails("list_agents")

      expect(refused.message).toContain(join(busDir, file))
      expect(refused.message).toMatch(/is a symlink/)
      expect(snapshotTree(root, [busDir])).toEqual(before)
      if (file === "registry.db") {
        expect(openDatabase(target, { readonly: true }).prepare("SELECT count(*) AS n FROM agents").get()).toEqual({
          n: 1
        })
      }
    })
  }
})
