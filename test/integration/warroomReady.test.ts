/**
 * What a warroom spawn reports against a real tmux server: members that registered and show their prompt are ready,
 * members whose program exits are failed (exit status, last lines), members at a first-run dialog are pending, and
 * a runtime that is not on the panes' PATH fails the spawn before any pane opens. Members are fake `claude` scripts.
 */
import { afterEach, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { makeWarroomRig, startWarroomServer, type WarroomRig } from "../support/warroomRig.js"

const rigs: Array<WarroomRig> = []
const cleanups: Array<() => Promise<void>> = []
const rig = () => {
  const made = makeWarroomRig()
  rigs.push(made)
  return made
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
  for (const made of rigs.splice(0)) made.kill()
  removeTempDirs()
})

const server = async (r: WarroomRig) => {
  const started = await startWarroomServer(r)
  cleanups.push(() => started.close())
  return started
}

describe("warroom spawn reports what really happened", () => {
  it("members that register and show their prompt are ready; the result lists them and no one pending or failed", async () => {
    const r = rig()
    const spawned = await (await server(r)).ok("warroom_spawn", { name: "team", agents: ["general", "general"] })
    expect(spawned.members.map((m: { state: string }) => m.state)).toEqual(["ready", "ready"])
    expect(spawned.ready).toEqual(["proj:general:team.0", "proj:general:team.1"])
    expect(spawned).toMatchObject({ pending: [], failed: [] })
  })

  it("a member whose program exits at once is failed with its exit status and last lines, and its pane is closed; the CLI exits 1", async () => {
    const r = rig()
    r.tmux.run("set-environment", "-g", "FAKE_CLAUDE_EXIT", "3")
    const run = r.cli(["spawn", "doomed", "--agents", "general general", "--wait", "20"])
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("doomed 0 of 2 agents ready")
    expect(run.stdout).toContain("failed proj:general:doomed.0: its program exited with status 3")
    expect(run.stdout).toContain("| --dangerously-skip-permissions cannot be used with root/sudo privileges")
    expect(r.windows()).not.toContain("doomed")
  })

  it("with keep_failed_panes the dead pane stays open for inspection", async () => {
    const r = rig()
    r.tmux.run("set-environment", "-g", "FAKE_CLAUDE_EXIT", "7")
    const spawned = await (await server(r)).ok("warroom_spawn", {
      name: "kept",
      agents: ["general"],
      keep_failed_panes: true,
      wait_seconds: 20
    })
    expect(spawned.failed).toMatchObject([{ agent_id: "proj:general:kept.0", exit_status: 7, pane_kept: true }])
    const pane = spawned.failed[0].pane_id as string
    expect(r.tmux.run("display-message", "-p", "-t", pane, "#{pane_dead} #{pane_dead_status}").trim()).toBe("1 7")
  })

  it("a member that waits at a first-run dialog is pending with the dialog's text, not ready", async () => {
    const r = rig()
    r.tmux.run("set-environment", "-g", "FAKE_CLAUDE_DIALOG", "1")
    const spawned = await (await server(r)).ok("warroom_spawn", { name: "asks", agents: ["general"], wait_seconds: 3 })
    expect(spawned.members[0].state).toBe("pending")
    expect(spawned.pending).toMatchObject([{
      agent_id: "proj:general:asks.0",
      reason: expect.stringContaining("waits at a dialog")
    }])
    expect(spawned.pending[0].screen).toContain("Do you trust the files in this folder?")
    expect(spawned.ready).toEqual([])
  })

  it("a runtime whose program is not on the panes' PATH fails the spawn before any pane opens", async () => {
    const r = rig()
    const before = r.windows()
    const failed = await (await server(r)).fails("warroom_spawn", { name: "nocodex", agents: ["codex/general"] })
    expect(failed.message).toContain("'codex' is not on the PATH new tmux panes get")
    expect(r.windows()).toEqual(before)
  })

  it("warroom_add waits for the new member too, and reports it failed when it dies", async () => {
    const r = rig()
    const warroom = await server(r)
    await warroom.ok("warroom_spawn", { name: "grow", agents: ["general"] })
    r.tmux.run("set-environment", "-g", "FAKE_CLAUDE_EXIT", "2")
    const added = await warroom.ok("warroom_add", { name: "grow", agent: "general", wait_seconds: 20 })
    expect(added.added.state).toBe("failed")
    expect(added.failed).toMatchObject([{ agent_id: "proj:general:grow.1", exit_status: 2 }])
  })
})

describe("the permission mode of launched members is a choice", () => {
  const argsOf = async (r: WarroomRig, paneId: string) =>
    (await r.tmux.waitForPane(paneId, (text) => text.includes("READY"), "the member to start")).match(/ARGS=(.*)/)?.[1]
      ?.trim()

  it("by default no permission flag is passed: Claude Code's own default applies", async () => {
    const r = rig()
    const spawned = await (await server(r)).ok("warroom_spawn", { name: "plain", agents: ["general"] })
    expect(await argsOf(r, spawned.members[0].pane_id)).toBe("")
  })

  it("a spawn argument wins over the preset's, which wins over HELIOY_CLAUDE_PERMISSION_MODE", async () => {
    const r = rig()
    const warroom = await server(r)
    await warroom.ok("warroom_save_preset", { name: "planners", agents: ["general"], permission_mode: "plan" })
    const fromPreset = await warroom.ok("warroom_spawn", { name: "one", preset: "planners" })
    expect(await argsOf(r, fromPreset.members[0].pane_id)).toBe("--permission-mode plan")
    const fromArgument = await warroom.ok("warroom_spawn", {
      name: "two",
      preset: "planners",
      permission_mode: "acceptEdits"
    })
    expect(await argsOf(r, fromArgument.members[0].pane_id)).toBe("--permission-mode acceptEdits")
    const run = r.cli(["spawn", "three", "--agents", "general"], { env: { HELIOY_CLAUDE_PERMISSION_MODE: "auto" } })
    expect(run.status).toBe(0)
    const pane = r.panesOf("three")[0]!.id
    expect(await argsOf(r, pane)).toBe("--permission-mode auto")
  })

  it("an unknown mode spawns nothing and names the allowed ones", async () => {
    const r = rig()
    const failed = await (await server(r)).fails("warroom_spawn", {
      name: "bad",
      agents: ["general"],
      permission_mode: "yolo"
    })
    expect(failed.message).toContain("unknown Claude Code permission mode 'yolo'")
    expect(r.windows()).not.toContain("bad")
  })
})
