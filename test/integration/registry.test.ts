/** registry.db shared with the Python reference and with other processes: migration in place, locks, contention. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, it as plainIt } from "vitest"
import * as Bus from "../../src/programs/bus.js"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"
import {
  createLegacyReferenceDb,
  holdWriteLock,
  openDatabase,
  referenceTime,
  snapshotDb,
  writeLock
} from "./referenceDb.js"

/** A bus dir (0700) whose registry.db the reference created. */
const referenceBusDir = Effect.gen(function*() {
  const root = yield* tempDir("helioy-registry-")
  const busDir = join(root, "bus")
  fs.mkdirSync(busDir, { mode: 0o700 })
  createLegacyReferenceDb(join(busDir, "registry.db"))
  return { root, busDir, dbPath: join(busDir, "registry.db") }
})

const columnsOf = (dbPath: string, table: string) => {
  const db = openDatabase(dbPath, { readonly: true })
  try {
    return db.prepare(`PRAGMA table_info(${table})`).all() as Array<
      { name: string; dflt_value: string | null; notnull: number }
    >
  } finally {
    db.close()
  }
}

describe("a registry.db created by the reference", () => {
  it.scopedLive("is migrated in place: missing columns added with defaults, the legacy row kept with runtime 'unknown'", () =>
    Effect.gen(function*() {
      const { busDir, dbPath } = yield* referenceBusDir
      const services = yield* buildLiveBus({ HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: "me:general" })
      const run = runOn(services)

      const agentColumns = new Map(columnsOf(dbPath, "agents").map((column) => [column.name, column]))
      expect(agentColumns.get("runtime")).toMatchObject({ dflt_value: "'unknown'", notnull: 1 })
      expect(agentColumns.get("token_usage")).toMatchObject({ dflt_value: "'{}'", notnull: 1 })
      expect(agentColumns.get("pane_id")).toMatchObject({ dflt_value: "''", notnull: 1 })
      expect(agentColumns.get("profile")).toMatchObject({ dflt_value: null, notnull: 0 })
      expect(columnsOf(dbPath, "warrooms").map((column) => column.name)).toEqual(
        expect.arrayContaining(["layout", "runtime_policy", "metadata"])
      )
      expect(columnsOf(dbPath, "warroom_members").map((column) => column.name)).toContain("desired_role")

      const db = openDatabase(dbPath, { readonly: true })
      const legacy = db.prepare("SELECT * FROM agents WHERE agent_id = 'legacy:backend'").get()
      const nudges = db.prepare("SELECT * FROM nudge_log").all()
      const warroom = db.prepare("SELECT layout, status FROM warrooms WHERE warroom_id = 'wr1'").get()
      const journal = db.pragma("journal_mode", { simple: true })
      db.close()
      expect(legacy).toEqual({
        agent_id: "legacy:backend",
        cwd: "/home/user/legacy",
        tmux_target: "",
        pid: null,
        session_id: "sess-1",
        agent_type: "backend",
        registered_at: referenceTime,
        last_seen: referenceTime,
        runtime: "unknown",
        profile: null,
        token_usage: "{}",
        pane_id: "",
        host: ""
      })
      expect(nudges).toEqual([{ agent_id: "legacy:backend", nudged_at: referenceTime }])
      expect(warroom).toEqual({ layout: "tiled", status: "active" })
      expect(journal).toBe("wal")

      const listed = yield* run(Bus.listAgents({}))
      expect(listed).toEqual([
        expect.objectContaining({ agent_id: "legacy:backend", runtime: "unknown", token_usage: {} })
      ])
      const sent = yield* run(Bus.sendMessage({ to: "role:backend", content: "still there?" }))
      expect(sent).toMatchObject({ recipients: ["legacy:backend"], nudged: false })
    }))

  it.scopedLive("opening it a second time changes nothing", () =>
    Effect.gen(function*() {
      const { busDir, dbPath } = yield* referenceBusDir
      const env = { HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: "me:general" }
      yield* Effect.scoped(buildLiveBus(env))
      const afterFirst = snapshotDb(dbPath)
      yield* Effect.scoped(buildLiveBus(env))
      expect(snapshotDb(dbPath)).toEqual(afterFirst)
      expect(afterFirst.rows.agents).toHaveLength(1)
    }))
})

describe("a registry locked by another process", () => {
  it.scopedLive("a registration fails with RegistryUnavailable saying it is locked and what to do, then succeeds once released", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-lock-")
      const busDir = join(root, "bus")
      const services = yield* buildLiveBus({
        HELIOY_BUS_DIR: busDir,
        HELIOY_AGENT_ID: "me:general",
        HELIOY_BUS_BUSY_TIMEOUT_MS: "100"
      })
      const run = runOn(services)
      yield* run(Bus.registerAgent({ pwd: root, agent_id: "before:lock" }))
      const lock = yield* writeLock(join(busDir, "registry.db"))

      const refused = yield* Effect.flip(run(Bus.registerAgent({ pwd: root, agent_id: "during:lock" })))
      expect(refused._tag).toBe("RegistryUnavailable")
      expect(refused.message).toMatch(/locked by another process/)
      // The failure is structured: SQLite's code, and the driver's error as the cause.
      expect(refused._tag === "RegistryUnavailable" && refused.code).toBe("SQLITE_BUSY")
      expect(refused._tag === "RegistryUnavailable" && refused.cause).toBeDefined()
      expect(refused.message).toMatch(/retry/)
      expect(refused.message).toMatch(/HELIOY_BUS_BUSY_TIMEOUT_MS/)

      // Readers are not blocked by a writer (WAL): mail still flows to registered agents.
      const sent = yield* run(Bus.sendMessage({ to: "before:lock", content: "sent while locked" }))
      expect(sent.recipients).toEqual(["before:lock"])

      yield* Effect.promise(() => lock.release())
      const registered = yield* run(Bus.registerAgent({ pwd: root, agent_id: "during:lock" }))
      expect(registered.agent_id).toBe("during:lock")
      const listed = yield* run(Bus.listAgents({}))
      expect(listed.map((agent) => agent.agent_id).sort()).toEqual(["before:lock", "during:lock", "held:by-lock"])
      const claimed = yield* run(Bus.getMessages({ agent_id: "before:lock" }))
      expect(claimed.messages.map((message) => message.content)).toEqual(["sent while locked"])
    }))
})

describe("the built server and the registry", () => {
  const servers = serverPool()
  const releases: Array<() => void> = []
  afterEach(async () => {
    await servers.closeAll()
    for (const release of releases.splice(0)) release()
    removeTempDirs()
  })

  plainIt(
    "a server started while the registry is locked reports the lock, then works once it is released",
    async () => {
      const root = makeTempDir("helioy-lock-e2e-")
      const busDir = join(root, "bus")
      fs.mkdirSync(busDir, { mode: 0o700 })
      createLegacyReferenceDb(join(busDir, "registry.db"))
      const lock = await holdWriteLock(join(busDir, "registry.db"))
      releases.push(lock.kill)
      const server = await servers.start({
        home: root,
        busDir,
        agentId: "me:general",
        env: { HELIOY_BUS_BUSY_TIMEOUT_MS: "100" }
      })

      const refused = await server.fails("register_agent", { pwd: root, agent_id: "me:general" })
      expect(refused.message).toMatch(/registry\.db is locked by another process/)
      expect(refused.message).toMatch(/retry in a moment, or raise HELIOY_BUS_BUSY_TIMEOUT_MS/)
      expect(refused.structured).toMatchObject({ type: "RegistryUnavailable" })

      await lock.release()
      expect(await server.ok("register_agent", { pwd: root, agent_id: "me:general" })).toMatchObject({
        agent_id: "me:general"
      })
      const listed = await server.ok("list_agents")
      expect((listed.result as Array<{ agent_id: string }>).map((agent) => agent.agent_id).sort()).toEqual([
        "held:by-lock",
        "legacy:backend",
        "me:general"
      ])
    }
  )

  plainIt("concurrent registrations from several server processes all succeed (no SQLITE_BUSY)", async () => {
    const root = makeTempDir("helioy-contention-")
    const busDir = join(root, "bus")
    const started = await Promise.all(
      [0, 1, 2, 3].map((n) => servers.start({ home: root, busDir, agentId: `proc${n}:general` }))
    )
    const results = await Promise.all(
      started.flatMap((server, n) =>
        Array.from(
          { length: 10 },
          (_, i) => server.call("register_agent", { pwd: root, agent_id: `proc${n}:agent${i}` })
        )
      )
    )
    expect(results.filter((result) => result.isError).map((result) => JSON.stringify(result.content))).toEqual([])
    const listed = await started[0]!.ok("list_agents")
    expect(listed.result as Array<unknown>).toHaveLength(40)
    for (const server of started) expect(server.stderr()).not.toMatch(/SQLITE_BUSY|locked/)
  })
})
