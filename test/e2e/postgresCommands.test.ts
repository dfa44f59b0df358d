/** `helioy-bus doctor` and `helioy-bus migrate` of the built binary against a PostgreSQL bus. */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { latestPgMigration } from "../../src/layers/pg/migrations.js"
import { busBin, makeTempDir, removeTempDirs } from "../support/mcpClient.js"
import { contents, hostEnv, pgHosts } from "../support/pg/pgHosts.js"
import { noPostgres, pgUrl } from "../support/pg/pgLayers.js"

const { cleanUp, freshSchema, host, servers } = pgHosts()

afterEach(async () => {
  await cleanUp()
  removeTempDirs()
})

describe.skipIf(noPostgres)("helioy-bus commands on a PostgreSQL bus", () => {
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
      detail: `${pgUrl}: schema ${schema} at migration ${latestPgMigration}, 1 agent(s) registered`
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
