/** The built command lines' manners: usage errors exit 2 with one line on stderr, no colour off a terminal. */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { busBin, makeTempDir, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const warroomBin = fileURLToPath(new URL("../../bin/helioy-warroom.js", import.meta.url))

/** Runs a built binary with a fake HOME and bus dir, output piped (not a terminal). */
const run = (bin: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const home = makeTempDir("helioy-usage-")
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, HELIOY_BUS_DIR: `${home}/bus`, ...env }
  })
}

const escape = "\u001b["

describe("usage errors", () => {
  it.each(
    [
      ["an unknown command", busBin, ["bogus"], "Invalid subcommand for helioy-bus - use one of"],
      ["a missing argument", busBin, ["install"], "Missing argument <runtime> with choices claude | codex"],
      ["a bad choice", busBin, ["install", "vim"], "claude"],
      ["an unknown option", busBin, ["doctor", "--nope"], "--nope"],
      ["an unknown warroom command", warroomBin, ["bogus"], "Invalid subcommand for helioy-warroom"]
    ] as const
  )("%s exits 2 with one line on stderr and nothing on stdout", (_, bin, args, message) => {
    const result = run(bin, args)
    expect(result.status).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain(message)
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(result.stderr).not.toContain("fiber=")
    expect(result.stderr).not.toContain(escape)
  })
})

describe("colour", () => {
  it("help written to a pipe has no ANSI escapes", () => {
    for (const bin of [busBin, warroomBin]) {
      const result = run(bin, ["--help"])
      expect(result.status).toBe(0)
      expect(result.stdout).toContain("USAGE")
      expect(result.stdout).not.toContain(escape)
    }
  })

  it("help for a subcommand with NO_COLOR set has no ANSI escapes", () => {
    const result = run(busBin, ["install", "--help"], { NO_COLOR: "1" })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain("--dry-run")
    expect(result.stdout).not.toContain(escape)
  })
})
