/** `helioy-bus doctor --json` and a broken registry.db, through the built binary against a fake HOME. */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { emptyHome, type FakeHome, runCli, userHome } from "../support/fakeHome.js"
import { removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

interface JsonCheck {
  readonly name: string
  readonly status: "ok" | "warn" | "fail"
  readonly detail: string
  readonly fix: string | null
}

interface JsonReport {
  readonly ok: boolean
  readonly problems: number
  readonly checks: ReadonlyArray<JsonCheck>
}

/** The whole of stdout as one JSON document. */
const reportOf = (stdout: string) => JSON.parse(stdout) as JsonReport

const checkOf = (report: JsonReport, name: string) => report.checks.find((check) => check.name === name)

const installedAndStarted = (home: FakeHome) => {
  expect(runCli(home.home, ["install", "claude"]).status).toBe(0)
  expect(runCli(home.home, ["install", "codex"]).status).toBe(0)
  expect(runCli(home.home, ["serve"]).status).toBe(0)
  expect(fs.existsSync(join(home.busDir, "registry.db"))).toBe(true)
}

describe("helioy-bus doctor --json", () => {
  it("prints one JSON document with each check's fix apart, exits 1 when a check fails, and creates no bus dir", () => {
    const home = emptyHome()
    const run = runCli(home.home, ["doctor", "--json"])
    expect(run.status).toBe(1)
    const report = reportOf(run.stdout)
    expect(report.ok).toBe(false)
    expect(report.problems).toBe(report.checks.filter((check) => check.status === "fail").length)
    expect(report.problems).toBeGreaterThan(0)
    for (const check of report.checks) expect(Object.keys(check).sort()).toEqual(["detail", "fix", "name", "status"])
    expect(checkOf(report, "bus dir")).toEqual({
      name: "bus dir",
      status: "warn",
      detail: `${home.busDir} does not exist yet`,
      fix: "the first helioy-bus serve creates it (mode 0700)"
    })
    expect(checkOf(report, "registry")).toMatchObject({
      status: "warn",
      detail: `${join(home.busDir, "registry.db")} does not exist yet`
    })
    expect(checkOf(report, "runtimes")).toMatchObject({
      status: "fail",
      fix: "run helioy-bus install claude, helioy-bus install codex or helioy-bus install gemini"
    })
    expect(fs.existsSync(home.busDir)).toBe(false)
    expect(fs.readdirSync(home.home)).toEqual([])
  })

  it("after install and with a good bus dir says ok, with no fix on a passing check, and exits 0", () => {
    const home = userHome()
    installedAndStarted(home)
    const run = runCli(home.home, ["doctor", "--json"])
    expect(run.status).toBe(0)
    const report = reportOf(run.stdout)
    expect(report).toMatchObject({ ok: true, problems: 0 })
    for (const check of report.checks.filter((check) => check.status === "ok")) expect(check.fix).toBeNull()
    expect(checkOf(report, "registry")?.detail).toMatch(/schema at migration \d+, 0 agent\(s\) registered/)
  })
})

describe("helioy-bus doctor on a broken registry", () => {
  it("fails the registry check for a registry.db that is not a database, says what to do, and leaves it as it was", () => {
    const home = userHome()
    installedAndStarted(home)
    const registryDb = join(home.busDir, "registry.db")
    const garbage = "not a database at all; just text long enough to fill a page header\n".repeat(64)
    fs.writeFileSync(registryDb, garbage)
    const before = fs.readdirSync(home.busDir).sort()
    const json = runCli(home.home, ["doctor", "--json"])
    expect(json.status).toBe(1)
    const registry = checkOf(reportOf(json.stdout), "registry")
    expect(registry?.status).toBe("fail")
    expect(registry?.detail).toContain("file is not a database")
    expect(registry?.fix).toContain("move it aside")
    const plain = runCli(home.home, ["doctor"])
    expect(plain.status).toBe(1)
    expect(plain.stdout).toMatch(
      /^fail {2}registry: cannot read .*file is not a database.*; if another process holds it, retry/m
    )
    expect(plain.stdout).not.toContain("\u001b[")
    expect(fs.readFileSync(registryDb, "utf8")).toBe(garbage)
    expect(fs.readdirSync(home.busDir).sort()).toEqual(before)
  })
})
