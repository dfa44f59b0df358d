/**
 * Two "hosts" on one PostgreSQL bus: built `helioy-bus serve` processes with their own HELIOY_HOST, HOME and bus dir,
 * talking through the SDK client; sends by id, role and `*` cross from one host to the other.
 */
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as events from "../support/hookEvents.js"
import { killHookProcesses, startFakeRuntime, startHook } from "../support/hookProcess.js"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { adminQuery, noPostgres, pgUrl } from "../support/pg/pgLayers.js"
import { type PostgresServer, startPostgres } from "../support/pg/postgresServer.js"

const servers = serverPool()
const schemas: Array<string> = []

const runtimes: Array<{ readonly stop: () => Promise<void> }> = []
const ownServers: Array<PostgresServer> = []

afterEach(async () => {
  killHookProcesses()
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()))
  await servers.closeAll()
  await Promise.all(ownServers.splice(0).map((server) => server.destroy()))
  removeTempDirs()
  for (const schema of schemas.splice(0)) {
    await Effect.runPromise(adminQuery(pgUrl, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
  }
})

/** The environment of a host `name` on the bus in `schema`. */
const hostEnv = (name: string, schema: string, url = pgUrl) => ({
  HELIOY_BUS_URL: url,
  HELIOY_BUS_PG_SCHEMA: schema,
  HELIOY_HOST: name
})

/** A host: its own home and bus dir, the shared bus in `schema`; starts servers as `agentId`. */
const host = (name: string, schema: string, url = pgUrl) => {
  const root = makeTempDir(`helioy-pg-${name}-`)
  return (agentId: string) =>
    servers.start({ home: root, busDir: join(root, "bus"), agentId, env: hostEnv(name, schema, url) })
}

/** Polls the server's sessions until one of host `name` is listening (the waiter is armed). */
const listening = async (name: string) => {
  for (;;) {
    const rows = await Effect.runPromise(adminQuery(
      pgUrl,
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'helioy-bus@${name}' AND query LIKE 'LISTEN %'`
    ))
    if (rows.length > 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const freshSchema = () => {
  const schema = `hb_e2e_${randomBytes(6).toString("hex")}`
  schemas.push(schema)
  return schema
}

const contents = (result: Record<string, unknown>) =>
  (result.result as ReadonlyArray<{ readonly content: string; readonly from: string }>).map((m) => [m.from, m.content])

describe.skipIf(noPostgres)("helioy-bus serve on PostgreSQL, two hosts", () => {
  it("direct, role and broadcast sends cross hosts; list_agents shows each agent's host", async () => {
    const schema = freshSchema()
    const onA = host("host-a", schema)
    const onB = host("host-b", schema)
    const alice = await onA("web:frontend")
    const bob = await onB("api:backend")
    const carol = await onB("api:reviewer")
    await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend", agent_type: "frontend" })
    await bob.ok("register_agent", { pwd: "/home/b/api", agent_id: "api:backend", agent_type: "backend" })
    await carol.ok("register_agent", { pwd: "/home/b/api", agent_id: "api:reviewer", agent_type: "reviewer" })

    const listed = (await alice.ok("list_agents")).result as ReadonlyArray<Record<string, unknown>>
    expect(listed.map((row) => [row.agent_id, row.host])).toEqual([
      ["web:frontend", "host-a"],
      ["api:backend", "host-b"],
      ["api:reviewer", "host-b"]
    ])

    expect(await alice.ok("send_message", { to: "api:backend", content: "direct" })).toMatchObject({
      delivered: true,
      recipients: ["api:backend"]
    })
    expect(await alice.ok("send_message", { to: "role:reviewer", content: "role" })).toMatchObject({
      recipients: ["api:reviewer"]
    })
    expect(await alice.ok("send_message", { to: "*", content: "all" })).toMatchObject({
      recipients: ["api:backend", "api:reviewer"]
    })
    expect(contents(await bob.ok("get_messages"))).toEqual([["web:frontend", "direct"], ["web:frontend", "all"]])
    expect(contents(await carol.ok("get_messages"))).toEqual([["web:frontend", "role"], ["web:frontend", "all"]])
    expect(contents(await bob.ok("get_messages"))).toEqual([])

    expect(await bob.ok("send_message", { to: "web:frontend", content: "back" })).toMatchObject({
      recipients: ["web:frontend"]
    })
    expect(contents(await alice.ok("get_messages"))).toEqual([["api:backend", "back"]])
  })

  it("a Claude Code waiter (hook wait-mail) on host B is woken by a send from host A", async () => {
    const schema = freshSchema()
    const hostB = `host-b-${schema}`
    const alice = await host("host-a", schema)("web:frontend")
    await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    const root = makeTempDir("helioy-pg-waiter-")
    const runtime = startFakeRuntime()
    runtimes.push(runtime)
    const where = {
      home: root,
      busDir: join(root, "bus"),
      env: {
        ...hostEnv(hostB, schema),
        HELIOY_RUNTIME: "claude",
        HELIOY_BUS_CLAUDE_PID: String(runtime.pid),
        HELIOY_AGENT_ID: "api:worker"
      }
    }
    const session = { sessionId: "sess-worker", cwd: root, home: root }
    const started = await startHook("session-start", events.sessionStart(session), where).exited
    expect(started.code).toBe(0)
    const waiter = startHook("wait-mail", events.stop(session, false), where)
    await listening(hostB)
    expect(waiter.done()).toBe(false)

    expect(await alice.ok("send_message", { to: "api:worker", content: "please review #42" })).toMatchObject({
      recipients: ["api:worker"],
      wakes: [expect.objectContaining({ agent_id: "api:worker", wake: "rewake", pending: true })]
    })
    expect(await waiter.exited).toEqual({
      code: 2,
      signal: null,
      stdout: "",
      stderr: "helioy-bus: 1 new message(s) for 'api:worker' from web:frontend — call get_messages to read them.\n"
    })
  })

  it("an unreachable server: tools answer isError naming the URL with the password masked, and what to check", async () => {
    const schema = freshSchema()
    const server = await host("host-a", schema, "postgres://agent:hunter2@127.0.0.1:1/bus")("web:frontend")
    const failed = await server.fails("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    expect(failed.message).toContain("postgres://agent:***@127.0.0.1:1/bus")
    expect(failed.message).toMatch(/ECONNREFUSED/)
    expect(failed.message).toMatch(/check that the server runs/)
    expect(failed.message).not.toContain("hunter2")
    expect(server.stderr()).not.toContain("hunter2")
  })

  it("a server that is down at start, then restarted mid-session: tools fail while it is down, work again once it is back (no bus server restart), and no acknowledged message is lost", async () => {
    const own = await startPostgres()
    ownServers.push(own)
    await own.stop()
    const schema = freshSchema()
    const alice = await host("host-a", schema, own.url)("web:frontend")
    const bob = await host("host-b", schema, own.url)("api:backend")
    const down = await alice.fails("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    expect(down.message).toContain(`postgres://postgres@127.0.0.1:${own.port}/postgres`)

    await own.start()
    await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    await bob.ok("register_agent", { pwd: "/home/b/api", agent_id: "api:backend" })
    const acknowledged: Array<string> = []
    for (let n = 0; n < 20; n++) {
      acknowledged.push((await alice.ok("send_message", { to: "api:backend", content: `m${n}` })).message_id as string)
    }
    await own.stop()
    const whileDown = await alice.call("send_message", { to: "api:backend", content: "lost?" })
    expect(whileDown.isError).toBe(true)
    await own.start()
    for (let n = 20; n < 30; n++) {
      acknowledged.push((await alice.ok("send_message", { to: "api:backend", content: `m${n}` })).message_id as string)
    }
    const read = (await bob.ok("get_messages")).result as ReadonlyArray<{ readonly id: string }>
    expect(read.map((message) => message.id)).toEqual(acknowledged)
  })

  it("helioy-bus doctor on a PostgreSQL bus reports the connection, the schema version and the clock skew", async () => {
    const schema = freshSchema()
    const alice = await host("host-a", schema)("web:frontend")
    await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    const root = makeTempDir("helioy-pg-doctor-")
    const run = spawnSync(process.execPath, [busBin, "doctor", "--json"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: root, HELIOY_BUS_DIR: join(root, "bus"), ...hostEnv("host-a", schema) }
    })
    const report = JSON.parse(run.stdout) as { readonly checks: ReadonlyArray<Record<string, unknown>> }
    const named = (name: string) => report.checks.find((check) => check.name === name)
    expect(named("postgres")).toMatchObject({
      status: "ok",
      detail: `${pgUrl}: schema ${schema} at migration 3, 1 agent(s) registered`
    })
    expect(named("clock")).toMatchObject({ status: "ok" })
    expect(named("registry")).toBeUndefined()
  })

  it("helioy-bus migrate --to copies a file bus's registry and unread mail once; a second run adds nothing", async () => {
    const schema = freshSchema()
    const root = makeTempDir("helioy-pg-migrate-")
    const busDir = join(root, "bus")
    const fileBus = await servers.start({ home: root, busDir, agentId: "web:frontend", env: { HELIOY_HOST: "host-a" } })
    await fileBus.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
    await fileBus.ok("register_agent", { pwd: "/home/a/api", agent_id: "api:backend" })
    for (const content of ["one", "two", "three"]) {
      await fileBus.ok("send_message", { to: "api:backend", content })
    }
    await fileBus.ok("get_messages", { agent_id: "api:backend", limit: 1 })
    const migrate = () =>
      spawnSync(process.execPath, [busBin, "migrate", "--to", pgUrl], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: root, HELIOY_BUS_DIR: busDir, ...hostEnv("host-a", schema) }
      })
    const first = migrate()
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toContain(
      "2 agent(s) and 2 unread message(s) added, 0 agent(s) and 0 message(s) already there"
    )
    const second = migrate()
    expect(second.stdout).toContain(
      "0 agent(s) and 0 unread message(s) added, 2 agent(s) and 2 message(s) already there"
    )

    const onPg = await host("host-a", schema)("api:backend")
    const listed = (await onPg.ok("list_agents")).result as ReadonlyArray<Record<string, unknown>>
    expect(listed.map((row) => [row.agent_id, row.host])).toEqual([
      ["web:frontend", "host-a"],
      ["api:backend", "host-a"]
    ])
    expect(contents(await onPg.ok("get_messages"))).toEqual([["web:frontend", "two"], ["web:frontend", "three"]])
    expect(contents(await fileBus.ok("get_messages", { agent_id: "api:backend" }))).toEqual([
      ["web:frontend", "two"],
      ["web:frontend", "three"]
    ])
  })
})
