/**
 * `helioy-warroom serve` through the MCP SDK Client over stdio, against a real tmux server on a private socket,
 * with fake `claude` members that register through the bus's SessionStart hook.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { makeWarroomRig, startWarroomServer, type WarroomRig } from "../support/warroomRig.js"

const cleanups: Array<() => Promise<void> | void> = []

const setUp = async () => {
  const rig = makeWarroomRig()
  cleanups.push(() => rig.kill())
  const server = await startWarroomServer(rig)
  cleanups.push(() => server.close())
  return { rig, server }
}

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step()
  removeTempDirs()
})

const paneIds = (rig: WarroomRig, window: string) => rig.panesOf(window).map((pane) => pane.id)

describe("helioy-warroom serve", () => {
  it("lists the nine tools, read-only where they only read", async () => {
    const { server } = await setUp()
    const { tools } = await server.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "warroom_add",
      "warroom_discover",
      "warroom_kill",
      "warroom_presets",
      "warroom_remove",
      "warroom_save_preset",
      "warroom_spawn",
      "warroom_spawn_repos",
      "warroom_status"
    ])
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name).sort()
    expect(readOnly).toEqual(["warroom_discover", "warroom_presets", "warroom_status"])
  })

  it("discovers the fake HOME's agent types, general first", async () => {
    const { server } = await setUp()
    const all = await server.ok("warroom_discover")
    expect(all.agents.map((a: { qualified_name: string }) => a.qualified_name)).toEqual([
      "general",
      "user:backend",
      "user:qa",
      "user:reviewer"
    ])
    expect(all).toMatchObject({ total: 4, namespaces: ["user"] })
    const found = await server.ok("warroom_discover", { query: "pull requests", limit: 5 })
    expect(found.agents.map((a: { name: string }) => a.name)).toEqual(["reviewer"])
    expect((await server.fails("warroom_discover", { runtime: "nope" })).message).toContain("Unknown runtime 'nope'")
  })

  it("spawns three members that register, then add, remove, status after a dead pane, and kill", async () => {
    const { rig, server } = await setUp()
    const spawned = await server.ok("warroom_spawn", {
      name: "ops",
      agents: ["backend", "claude-opus/qa", "general"],
      layout: "even-vertical"
    })
    const ids = ["proj:user:backend:ops.0", "proj:user:qa:ops.1", "proj:general:ops.2"]
    expect(spawned.members.map((m: { agent_id: string }) => m.agent_id)).toEqual(ids)
    expect(spawned.members.map((m: { desired_runtime: string }) => m.desired_runtime)).toEqual([
      "claude",
      "claude-opus",
      "claude"
    ])
    expect(spawned.messaging.member_types).toEqual(["user:backend", "user:qa", "general"])
    expect(rig.panesOf("ops").map((pane) => pane.title)).toEqual([
      "proj:user:backend:work:1.0",
      "proj:user:qa:work:1.1",
      "proj:general:work:1.2"
    ])
    const rows = await rig.waitRegistered(ids)
    expect(rows.map((row) => row.pane_id).sort()).toEqual(paneIds(rig, "ops").sort())
    const qaScreen = await rig.tmux.waitForPane(
      spawned.members[1].pane_id,
      (text) => text.includes("READY"),
      "qa to start"
    )
    expect(qaScreen).toContain(`ID=${ids[1]}\nTYPE=user:qa\nRT=claude-opus\nPWD=${rig.dirs.proj}\n`)

    const [view] = (await server.ok("warroom_status", { name: "ops" })).result
    expect(
      view.members.map((m: { registered: boolean; agent_instance_id: string }) => [m.registered, m.agent_instance_id])
    ).toEqual(ids.map((id) => [true, id]))

    const added = await server.ok("warroom_add", { name: "ops", agent: "reviewer", cwd: rig.dirs.api })
    expect(added).toMatchObject({ warroom_id: "ops", member_count: 4, added: { agent_id: "api:user:reviewer:ops.3" } })
    await rig.waitRegistered(["api:user:reviewer:ops.3"])
    const removed = await server.ok("warroom_remove", { name: "ops", member_id: added.added.warroom_member_id })
    expect(removed).toMatchObject({ remaining_members: 3, warroom_killed: false })
    expect(paneIds(rig, "ops")).toHaveLength(3)
    expect((await server.fails("warroom_remove", { name: "ops", agent: "nobody" })).message).toContain(
      "No member with role 'nobody'"
    )

    rig.tmux.run("kill-pane", "-t", spawned.members[0].pane_id)
    const [after] = (await server.ok("warroom_status")).result
    expect(after.members.map((m: { pane_alive: boolean; registered: boolean }) => [m.pane_alive, m.registered]))
      .toEqual([
        [false, false],
        [true, true],
        [true, true]
      ])

    expect(await server.ok("warroom_kill", { name: "ops" })).toEqual({ killed: ["ops"], errors: [] })
    expect(rig.windows()).toEqual(["sleep"])
    expect(rig.agents()).toEqual([])
  })

  it("refuses unknown agent types (details with suggestions, nothing created), bad names and layouts, a missing directory", async () => {
    const { rig, server } = await setUp()
    const unknown = await server.fails("warroom_spawn", { name: "bad", agents: ["backend", "review", "nope/general"] })
    expect(unknown.message).toContain("Unknown agent types")
    expect(unknown.structured.details).toEqual([
      { agent: "review", error: "Unknown agent type", suggestions: ["user:reviewer"] },
      { agent: "nope/general", error: expect.stringContaining("Unknown runtime 'nope'"), suggestions: [] }
    ])
    expect((await server.fails("warroom_spawn", { name: "x y", agents: ["general"] })).message).toContain(
      "Name must be 1-30 chars"
    )
    expect((await server.fails("warroom_spawn", { name: "ok", agents: ["general"], layout: "spiral" })).message)
      .toContain("Invalid layout. Choose from:")
    expect((await server.fails("warroom_spawn", { name: "ok", agents: [] })).message).toBe(
      "At least one agent type is required."
    )
    expect(
      (await server.fails("warroom_spawn", { name: "ok", agents: ["general"], cwd: join(rig.root, "missing") })).message
    )
      .toContain("is not an existing directory")
    expect((await server.fails("warroom_kill")).message).toContain("Provide a warroom name or set kill_all=True.")
    expect(rig.windows()).toEqual(["sleep"])
    expect((await server.ok("warroom_status")).result).toEqual([])
  })

  it("spawning twice with one name replaces the first; kill_all closes everything", async () => {
    const { rig, server } = await setUp()
    const first = await server.ok("warroom_spawn", { name: "dup", agents: ["general"] })
    await server.ok("warroom_spawn", { name: "dup", agents: ["general", "qa"] })
    expect(rig.windows().filter((name) => name === "dup")).toHaveLength(1)
    expect(paneIds(rig, "dup")).not.toContain(first.members[0].pane_id)
    await server.ok("warroom_spawn", { name: "other", agents: ["general"] })
    expect((await server.ok("warroom_kill", { kill_all: true })).killed.sort()).toEqual(["dup", "other"])
    expect(rig.windows()).toEqual(["sleep"])
  })

  it("saves presets, spawns from one, and reports a corrupt one", async () => {
    const { rig, server } = await setUp()
    const saved = await server.ok("warroom_save_preset", {
      name: "pair",
      agents: ["backend", "qa"],
      description: "two",
      tags: ["t"]
    })
    expect(saved).toEqual({ saved: "pair", path: join(rig.busDir, "presets", "pair.json") })
    expect((await server.fails("warroom_save_preset", { name: "bad name", agents: ["qa"] })).message)
      .toContain("Name must be 1-50 chars")
    expect(
      (await server.fails("warroom_save_preset", { name: "ghost", agents: ["nobody"] })).structured.details[0].agent
    ).toBe("nobody")
    fs.writeFileSync(join(rig.busDir, "presets", "corrupt.json"), JSON.stringify({ name: "corrupt", agents: [] }))
    const listed = await server.ok("warroom_presets")
    expect(listed.presets).toEqual([{ name: "pair", description: "two", agents: ["backend", "qa"], tags: ["t"] }])
    expect(listed.broken).toEqual([{
      file: join(rig.busDir, "presets", "corrupt.json"),
      reason: expect.stringContaining("At least one agent type is required.")
    }])
    const spawned = await server.ok("warroom_spawn", { name: "fromp", preset: "pair" })
    expect(spawned.messaging.member_types).toEqual(["user:backend", "user:qa"])
    await rig.waitRegistered(["proj:user:backend:fromp.0", "proj:user:qa:fromp.1"])
    expect((await server.fails("warroom_spawn", { name: "fromc", preset: "corrupt" })).message).toContain(
      "At least one agent type is required."
    )
    expect((await server.fails("warroom_spawn", { name: "fromm", preset: "missing" })).message).toContain(
      "No preset 'missing'. Saved presets:"
    )
  })

  it("says so when the caller is not in tmux", async () => {
    const rig = makeWarroomRig()
    cleanups.push(() => rig.kill())
    const { TMUX_PANE: _pane, ...env } = rig.env
    const server = await startWarroomServer({ ...rig, env })
    cleanups.push(() => server.close())
    expect((await server.fails("warroom_spawn", { name: "lost", agents: ["general"] })).message).toContain(
      "Not inside a tmux session."
    )
  })
})
