/**
 * `helioy-warroom` and `warroom.sh` from a shell, against a real tmux server on a private socket: members are
 * fake `claude` processes that register through the bus's SessionStart hook, as a real Claude Code would.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { makeWarroomRig, type WarroomRig, warroomSh } from "../support/warroomRig.js"

const rigs: Array<WarroomRig> = []
const rig = () => {
  const made = makeWarroomRig()
  rigs.push(made)
  return made
}

afterEach(() => {
  for (const made of rigs.splice(0)) made.kill()
  removeTempDirs()
})

const ok = (result: { status: number | null; stdout: string; stderr: string }) => {
  if (result.status !== 0) throw new Error(`exit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  return result.stdout
}

describe("helioy-warroom CLI", () => {
  it("spawns three members whose panes carry their identity, titles and directory, and who register on the bus; add, remove, a dead pane, kill", async () => {
    const r = rig()
    const out = ok(r.cli(["spawn", "design", "--agents", "backend qa general"]))
    expect(out).toContain("design ready: 3 agents (user:backend, user:qa, general) in proj")
    const ids = ["proj:user:backend:design.0", "proj:user:qa:design.1", "proj:general:design.2"]
    const panes = r.panesOf("design")
    expect(panes).toHaveLength(3)
    expect(panes.map((p) => p.title)).toEqual([
      "proj:user:backend:work:1.0",
      "proj:user:qa:work:1.1",
      "proj:general:work:1.2"
    ])
    expect(panes.map((p) => p.cwd)).toEqual([r.dirs.proj, r.dirs.proj, r.dirs.proj])
    const rows = await r.waitRegistered(ids)
    expect(rows.map((row) => row.pane_id).sort()).toEqual(panes.map((p) => p.id).sort())
    const screen = await r.tmux.waitForPane(panes[0]!.id, (text) => text.includes("READY"), "backend to start")
    expect(screen).toContain(`ID=${ids[0]}\nTYPE=user:backend\nRT=claude\nPWD=${r.dirs.proj}\nARGS=--agent backend\n`)
    const general = await r.tmux.waitForPane(panes[2]!.id, (text) => text.includes("READY"), "general to start")
    expect(general).toContain("ARGS=\n")

    ok(r.cli(["add", "design", "reviewer", "--cwd", r.dirs.api]))
    expect(r.panesOf("design")).toHaveLength(4)
    await r.waitRegistered([...ids, "api:user:reviewer:design.3"])
    expect(r.panesOf("design")[3]!.cwd).toBe(r.dirs.api)
    expect(ok(r.cli(["remove", "design", "reviewer"]))).toContain("removed user:reviewer")
    expect(r.panesOf("design")).toHaveLength(3)

    r.tmux.run("kill-pane", "-t", panes[1]!.id)
    const status = ok(r.cli(["status", "design"]))
    const lines = status.split("\n")
    expect(lines[0]).toContain("── design (window design, active")
    expect(lines[1]).toMatch(/^MEMBER\s+ROLE\s+RUNTIME\s+PANE\s+PANE STATE\s+AGENT\s+LAST HEARTBEAT$/)
    expect(lines.find((line) => line.includes("user:backend"))).toMatch(
      /alive\s+registered proj:user:backend:design\.0\s+\d{4}-/
    )
    expect(lines.find((line) => line.includes("user:qa"))).toMatch(/dead\s+pending\s+-$/)
    const json = JSON.parse(ok(r.cli(["status", "design", "--json"])))
    expect(json.result).toEqual([expect.objectContaining({ warroom_id: "design", status: "active" })])
    expect(json.result[0].members).toEqual(expect.arrayContaining([
      expect.objectContaining({
        desired_role: "user:backend",
        pane_alive: true,
        registered: true,
        agent_instance_id: ids[0]
      }),
      expect.objectContaining({ desired_role: "user:qa", pane_alive: false, registered: false })
    ]))

    expect(ok(r.cli(["kill", "design"]))).toBe("killed design\n")
    expect(r.windows()).not.toContain("design")
    expect(r.agents()).toEqual([])
    expect(ok(r.cli(["status"]))).toBe("no warroom agents running\n")
    expect(JSON.parse(ok(r.cli(["status", "--json"])))).toEqual({ result: [] })
  })

  it("an unknown agent type creates nothing and names suggestions", () => {
    const r = rig()
    const result = r.cli(["spawn", "bad", "--agents", "backend review"])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("error: Unknown agent types")
    expect(result.stderr).toContain("  unknown: review (suggestions: user:reviewer)")
    expect(r.windows()).toEqual(["sleep"])
    expect(ok(r.cli(["status"]))).toBe("no warroom agents running\n")
  })

  it("spawning twice with the same name replaces the first warroom", async () => {
    const r = rig()
    ok(r.cli(["spawn", "twice", "--agents", "general"]))
    const first = r.panesOf("twice").map((p) => p.id)
    ok(r.cli(["spawn", "twice", "--agents", "general qa"]))
    expect(r.windows().filter((name) => name === "twice")).toHaveLength(1)
    const second = r.panesOf("twice").map((p) => p.id)
    expect(second).toHaveLength(2)
    expect(second).not.toContain(first[0])
    await r.waitRegistered(["proj:general:twice.0", "proj:user:qa:twice.1"])
  })

  it("a name, a member count or a layout outside the limits is refused with the rule", () => {
    const r = rig()
    const refused = (args: ReadonlyArray<string>) => {
      const result = r.cli(args)
      expect(result.status).toBe(1)
      return result.stderr
    }
    expect(refused(["spawn", "bad_name", "--agents", "general"])).toContain(
      "Name must be 1-30 chars, alphanumeric and hyphens, starting with alphanumeric."
    )
    expect(refused(["spawn", "a".repeat(31), "--agents", "general"])).toContain("Name must be 1-30 chars")
    expect(refused(["spawn", "big", "--agents", Array(9).fill("general").join(" ")])).toContain(
      "Maximum 8 agents per warroom."
    )
    expect(refused(["spawn", "none", "--agents", ""])).toContain("At least one agent type is required.")
    expect(refused(["spawn", "odd", "--agents", "general", "--layout", "spiral"])).toContain(
      "Invalid layout. Choose from: even-horizontal, even-vertical, main-horizontal, main-vertical, tiled"
    )
    expect(refused(["spawn", "gone", "--agents", "general", "--cwd", join(r.root, "missing")])).toContain(
      "is not an existing directory"
    )
    expect(r.windows()).toEqual(["sleep"])
  })

  it("presets round-trip into a spawn, and a corrupt preset is reported", async () => {
    const r = rig()
    expect(
      ok(
        r.cli([
          "save-preset",
          "team",
          "--agents",
          "backend claude-opus/general",
          "--description",
          "two",
          "--tags",
          "a b"
        ])
      )
    )
      .toBe(`saved team to ${join(r.busDir, "presets", "team.json")}\n`)
    expect(r.cli(["save-preset", "nope", "--agents", "nosuch"]).stderr).toContain("unknown: nosuch")
    fs.writeFileSync(join(r.busDir, "presets", "broken.json"), "{ not json")
    const listed = r.cli(["presets"])
    expect(listed.stdout).toBe("team: backend claude-opus/general — two [a, b]\n")
    expect(listed.stderr).toContain(
      `warning: ${join(r.busDir, "presets", "broken.json")} is not a usable preset: not valid JSON`
    )
    expect(JSON.parse(ok(r.cli(["presets", "--json"])))).toMatchObject({
      presets: [{ name: "team", agents: ["backend", "claude-opus/general"], description: "two", tags: ["a", "b"] }],
      broken: [{ file: join(r.busDir, "presets", "broken.json"), reason: expect.stringContaining("not valid JSON") }]
    })
    const fromPreset = ok(r.cli(["spawn", "crew", "--preset", "team", "--agents", "qa"]))
    expect(fromPreset).toContain("crew ready: 3 agents (user:backend, general, user:qa)")
    const rows = await r.waitRegistered(["proj:user:backend:crew.0", "proj:general:crew.1", "proj:user:qa:crew.2"])
    expect(rows.find((row) => row.agent_id === "proj:general:crew.1")).toMatchObject({ runtime: "claude-opus" })
    const broken = r.cli(["spawn", "crew2", "--preset", "broken"])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain("not valid JSON")
  })

  it("kill all closes every warroom", () => {
    const r = rig()
    ok(r.cli(["spawn", "one", "--agents", "general"]))
    ok(r.cli(["spawn", "two", "--agents", "general"]))
    expect(ok(r.cli(["kill", "all"])).split("\n").filter(Boolean).sort()).toEqual(["killed one", "killed two"])
    expect(r.windows()).toEqual(["sleep"])
  })

  it("warroom.sh keeps the old syntax: repo mode, NAME \"types\", status, kill (also through a symlink)", async () => {
    const r = rig()
    const base = join(r.root, "repos")
    for (const repo of ["alpha", "beta", "notes"]) fs.mkdirSync(join(base, repo), { recursive: true })
    for (const repo of ["alpha", "beta"]) fs.mkdirSync(join(base, repo, ".git"))
    const link = join(r.root, "bin", "warroom")
    fs.symlinkSync(warroomSh, link)
    const env = { HELIOY_BASE: base }
    expect(ok(r.cli([], { sh: link, env }))).toContain("warroom ready: 2 agents (alpha, beta)")
    await r.waitRegistered(["alpha:general:warroom.0", "beta:general:warroom.1"])
    expect(r.panesOf("warroom").map((p) => p.cwd)).toEqual([join(base, "alpha"), join(base, "beta")])
    expect(ok(r.cli(["design", "general qa"], { sh: warroomSh }))).toContain(
      "design ready: 2 agents (general, user:qa) in proj"
    )
    const status = ok(r.cli(["status"], { sh: link }))
    expect(status).toContain("── warroom (window warroom")
    expect(status).toContain("── design (window design")
    expect(r.cli(["kill"], { sh: link })).toMatchObject({ status: 1, stderr: "usage: warroom kill <name|all>\n" })
    expect(r.cli(["design"], { sh: link })).toMatchObject({
      status: 1,
      stderr: "usage: warroom <name> \"type1 type2 ...\"\n"
    })
    expect(ok(r.cli(["kill", "design"], { sh: link }))).toBe("killed design\n")
    expect(ok(r.cli(["kill", "all"], { sh: link }))).toBe("killed warroom\n")
    expect(r.windows()).toEqual(["sleep"])
  })
})
