/**
 * `helioy-bus doctor` on Gemini CLI's setup through the built binary: the server and hooks `install gemini` wrote,
 * hooks not turned off, and the trust of the directory doctor runs in (`trustedFolders.json`).
 */
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type FakeHome, readJson, runCli, userHome } from "../support/fakeHome.js"
import { removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

interface JsonCheck {
  readonly name: string
  readonly status: "ok" | "warn" | "fail"
  readonly detail: string
  readonly fix: string | null
}

const here = process.cwd()

const trustedFolders = (home: FakeHome) => join(home.home, ".gemini", "trustedFolders.json")

const geminiChecks = (home: FakeHome, env: Record<string, string> = {}) => {
  const run = runCli(home.home, ["doctor", "--json"], env)
  return (JSON.parse(run.stdout) as { checks: ReadonlyArray<JsonCheck> }).checks.filter((check) =>
    check.name.startsWith("gemini")
  )
}

const checkNamed = (checks: ReadonlyArray<JsonCheck>, name: string) => checks.find((check) => check.name === name)

const installedGemini = () => {
  const home = userHome()
  expect(runCli(home.home, ["install", "gemini"]).status).toBe(0)
  return home
}

describe("helioy-bus doctor on Gemini CLI", () => {
  it("not installed: one warning that says to run install gemini", () => {
    expect(geminiChecks(userHome())).toEqual([{
      name: "gemini",
      status: "warn",
      detail: "Gemini CLI is not wired to the bus",
      fix: "run helioy-bus install gemini"
    }])
  })

  it("installed in an untrusted folder: the server and hooks are ok, the folder trust warns and says how to trust it", () => {
    const checks = geminiChecks(installedGemini())
    expect(checks.map((check) => [check.name, check.status])).toEqual([
      ["gemini mcp server", "ok"],
      ["gemini hooks", "ok"],
      ["gemini folder trust", "warn"]
    ])
    expect(checkNamed(checks, "gemini folder trust")?.detail).toContain(`${here} is not a trusted folder`)
    expect(checkNamed(checks, "gemini folder trust")?.fix).toContain(`"${here}": "TRUST_FOLDER"`)
  })

  it("a TRUST_FOLDER rule on a parent trusts the folder; a longer DO_NOT_TRUST rule on the folder itself wins", () => {
    const home = installedGemini()
    fs.writeFileSync(trustedFolders(home), JSON.stringify({ [dirname(here)]: "TRUST_FOLDER" }))
    expect(checkNamed(geminiChecks(home), "gemini folder trust")?.status).toBe("ok")
    fs.writeFileSync(trustedFolders(home), JSON.stringify({ [dirname(here)]: "TRUST_FOLDER", [here]: "DO_NOT_TRUST" }))
    expect(checkNamed(geminiChecks(home), "gemini folder trust")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("DO_NOT_TRUST")
    })
  })

  it("GEMINI_CLI_TRUSTED_FOLDERS_PATH names the trust file Gemini reads", () => {
    const home = installedGemini()
    const elsewhere = join(home.home, "trust.json")
    fs.writeFileSync(elsewhere, JSON.stringify({ [here]: "TRUST_FOLDER" }))
    const checks = geminiChecks(home, { GEMINI_CLI_TRUSTED_FOLDERS_PATH: elsewhere })
    expect(checkNamed(checks, "gemini folder trust")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining(elsewhere)
    })
  })

  it("hooks turned off in hooksConfig fail, saying which setting to change", () => {
    const home = installedGemini()
    const settings = readJson(home.geminiSettings)
    fs.writeFileSync(home.geminiSettings, JSON.stringify({ ...settings, hooksConfig: { enabled: false } }))
    expect(checkNamed(geminiChecks(home), "gemini hooks")).toBeDefined()
    expect(geminiChecks(home).filter((check) => check.name === "gemini hooks").map((check) => check.status)).toEqual([
      "ok",
      "fail"
    ])
  })

  it("installed hooks missing one event fail, naming it", () => {
    const home = installedGemini()
    const settings = readJson(home.geminiSettings) as { hooks: Record<string, unknown> }
    delete settings.hooks.AfterAgent
    fs.writeFileSync(home.geminiSettings, JSON.stringify(settings))
    expect(checkNamed(geminiChecks(home), "gemini hooks")).toMatchObject({
      status: "fail",
      detail: `${home.geminiSettings} lacks AfterAgent after-agent`,
      fix: "run helioy-bus install gemini"
    })
  })
})
