/**
 * Two "hosts" on one PostgreSQL bus: built `helioy-bus serve` processes with their own HELIOY_HOST, HOME and bus dir,
 * talking through the SDK client; sends by id, role and `*` cross from one host to the other.
 */
import { Effect } from "effect"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as events from "../support/hookEvents.js"
import { killHookProcesses, startFakeRuntime, startHook } from "../support/hookProcess.js"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"
import { contents, hostEnv, pgHosts } from "../support/pg/pgHosts.js"
import { adminQuery, noPostgres, pgUrl } from "../support/pg/pgLayers.js"
import { type PostgresServer, startPostgres } from "../support/pg/postgresServer.js"

const { cleanUp, freshSchema, host } = pgHosts()
const runtimes: Array<{ readonly stop: () => Promise<void> }> = []
const ownServers: Array<PostgresServer> = []

afterEach(async () => {
  killHookProcesses()
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()))
  await cleanUp()
  await Promise.all(ownServers.splice(0).map((server) => server.destroy()))
  removeTempDirs()
})

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

  it("a hook on an unreachable PostgreSQL bus exits 0 with nothing on stdout, and no password anywhere", async () => {
    const root = makeTempDir("helioy-pg-hook-")
    const session = { sessionId: "sess-hook", cwd: root, home: root }
    const result = await startHook("user-prompt-submit", events.userPromptSubmit(session), {
      home: root,
      busDir: join(root, "bus"),
      env: { ...hostEnv("host-a", freshSchema(), "postgres://agent:hunter2@127.0.0.1:1/bus"), HELIOY_AGENT_ID: "a:b" }
    }).exited
    expect(result.code).toBe(0)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("postgres://agent:***@127.0.0.1:1/bus")
    expect(result.stderr).not.toContain("hunter2")
  })
})
