/**
 * kill -9 of `helioy-warroom spawn` at random points of a spawn of three or four members, cycle after cycle, against
 * a private tmux server: afterwards registry.db opens cleanly, a new spawn of the same name replaces whatever the
 * killed one half-made, and `helioy-warroom kill` leaves no window, no record and no pane of that warroom behind.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, expect, it } from "vitest"
import { openDatabase } from "../integration/referenceDb.js"
import { removeTempDirs } from "../support/mcpClient.js"
import { longTest, reportFigures, runSeed, scaled, seededRandom } from "../support/stressBus.js"
import { makeWarroomRig, warroomBin, type WarroomRig } from "../support/warroomRig.js"

const rigs: Array<WarroomRig> = []
const pids: Array<number> = []

afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // already gone
    }
  }
  for (const rig of rigs.splice(0)) rig.kill()
  removeTempDirs()
})

const cycles = scaled(5, 40)
const teams = [["backend", "qa", "general"], ["backend", "qa", "reviewer", "general"]] as const
const ok = (result: { status: number | null; stdout: string; stderr: string }) => {
  if (result.status !== 0) throw new Error(`exit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  return result.stdout
}

/** Rows of the registry, read in this process (empty before the first write). */
const rows = (rig: WarroomRig, sql: string, ...params: ReadonlyArray<unknown>) => {
  const db = openDatabase(join(rig.busDir, "registry.db"), { readonly: true })
  try {
    db.pragma("busy_timeout = 2000")
    return db.prepare(sql).all(...params)
  } finally {
    db.close()
  }
}

/**
 * PRAGMA integrity_check of registry.db, opened afresh with better-sqlite3. A spawn killed before the migrations
 * committed may leave a file without tables: that is still a database that opens cleanly.
 */
const integrity = (rig: WarroomRig) => {
  const db = openDatabase(join(rig.busDir, "registry.db"))
  try {
    db.pragma("busy_timeout = 5000")
    return db.pragma("integrity_check", { simple: true })
  } finally {
    db.close()
  }
}

/** Every pane of the private server, in any session. */
const allPanes = (rig: WarroomRig) =>
  rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}\t#{session_name}:#{window_name}").trim().split("\n").filter(
    Boolean
  )

/**
 * Starts `helioy-warroom spawn` from the lead pane and kills it with SIGKILL: in mode "delay" after `delayMs` or as
 * soon as a window of the warroom's name appears, whichever comes first; in mode "first pane" `turns` event-loop
 * turns after that window appears. Polls are bounded by the child's own exit. Returns what happened to it.
 */
const spawnAndKill = async (
  rig: WarroomRig,
  name: string,
  team: ReadonlyArray<string>,
  mode: "delay" | "first pane",
  delayMs: number,
  turns: number
) => {
  const child = spawn(process.execPath, [warroomBin, "spawn", name, "--agents", team.join(" ")], {
    cwd: rig.dirs.proj,
    env: rig.env,
    stdio: ["ignore", "ignore", "ignore"]
  })
  pids.push(child.pid!)
  let finished = false
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      finished = true
      resolve(code)
    })
  )
  const started = performance.now()
  const tick = () => new Promise((resolve) => setImmediate(resolve))
  let trigger: "delay" | "first pane" | "finished" = "delay"
  while (mode === "first pane" || performance.now() < started + delayMs) {
    if (finished) {
      trigger = "finished"
      break
    }
    if (rig.windows().includes(name)) {
      trigger = "first pane"
      for (let i = 0; i < turns && !finished; i++) await tick()
      break
    }
    await tick()
  }
  try {
    process.kill(child.pid!, "SIGKILL")
  } catch {
    // it finished first
  }
  const code = await exited
  return {
    trigger: finished && code === 0 ? "finished" : trigger,
    panesAtKill: rig.windows().includes(name) ? rig.panesOf(name).length : 0
  }
}

it(
  `${cycles} cycles of kill -9 on helioy-warroom spawn: the registry opens cleanly, a re-spawn replaces the half-made warroom, kill leaves nothing behind`,
  async () => {
    const random = seededRandom(runSeed)
    const rig = makeWarroomRig()
    rigs.push(rig)
    const triggers: Record<string, number> = { delay: 0, "first pane": 0, finished: 0 }
    const panesAtKill: Array<number> = []
    let leftoverWindows = 0

    for (let cycle = 0; cycle < cycles; cycle++) {
      const name = `crash${cycle % 2}`
      const team = teams[Math.floor(random() * teams.length)]!
      const mode = cycle % 2 === 0 ? "delay" : "first pane"
      const delayMs = Math.floor(random() * 400)
      const killed = await spawnAndKill(rig, name, team, mode, delayMs, Math.floor(random() * 200))
      triggers[killed.trigger]!++
      panesAtKill.push(killed.panesAtKill)
      leftoverWindows += rig.windows().filter((window) => window === name).length

      // The registry survives a kill at any point (when the killed spawn got far enough to create it).
      const db = join(rig.busDir, "registry.db")
      if (fs.existsSync(db)) expect(integrity(rig)).toBe("ok")

      // A new spawn of the same name succeeds and replaces whatever was half-made.
      const again = teams[Math.floor(random() * teams.length)]!
      const context =
        `cycle ${cycle}, killed in mode ${mode} (${delayMs} ms: ${killed.trigger}, ${killed.panesAtKill} panes)`
      expect(ok(rig.cli(["spawn", name, "--agents", again.join(" ")])), context).toContain(
        `${name} ready: ${again.length} agents`
      )
      expect(rig.windows().filter((window) => window === name), context).toHaveLength(1)
      expect(rig.panesOf(name), context).toHaveLength(again.length)

      // Kill leaves no window of that name, no warroom or member row, and no pane of it anywhere.
      expect(ok(rig.cli(["kill", name])), context).toBe(`killed ${name}\n`)
      expect(rig.windows(), context).not.toContain(name)
      expect(rows(rig, "SELECT warroom_id FROM warrooms WHERE warroom_id = ?", name), context).toEqual([])
      expect(rows(rig, "SELECT warroom_member_id FROM warroom_members WHERE warroom_id = ?", name), context).toEqual([])
      expect(allPanes(rig), context).toEqual([`${rig.leadPane}\twork:sleep`])
      expect(integrity(rig)).toBe("ok")
    }
    reportFigures("warroom-crash", { cycles, triggers, panesAtKill, orphanWindowsLeftBySpawnKills: leftoverWindows })
  },
  longTest
)
