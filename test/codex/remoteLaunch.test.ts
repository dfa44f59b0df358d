import { describe, expect, it } from "vitest"
import { remoteCodexArgv } from "../../src/codex/remoteLaunch.js"

const relay = "/tmp/helioy-codex-x/tui.sock"

describe("pointing a wrapped Codex TUI at the wrapper's relay", () => {
  it("adds --remote to the relay and --cd to the launch directory before the user's arguments", () => {
    expect(remoteCodexArgv(["codex", "--model", "gpt-5", "fix the tests"], relay, "/work/api")).toEqual([
      "codex",
      "--remote",
      `unix://${relay}`,
      "--cd",
      "/work/api",
      "--model",
      "gpt-5",
      "fix the tests"
    ])
  })

  it("keeps the user's own --cd / -C", () => {
    expect(remoteCodexArgv(["/usr/bin/codex", "-C", "/work/web"], relay, "/work/api")).toEqual([
      "/usr/bin/codex",
      "--remote",
      `unix://${relay}`,
      "-C",
      "/work/web"
    ])
  })

  it("keeps the TUI's flags, whose values are never read as a subcommand", () => {
    expect(
      remoteCodexArgv(
        ["codex", "-c", "model_reasoning_effort=high", "--dangerously-bypass-approvals-and-sandbox"],
        relay,
        "/w"
      )
    )
      .toEqual([
        "codex",
        "--remote",
        `unix://${relay}`,
        "--cd",
        "/w",
        "-c",
        "model_reasoning_effort=high",
        "--dangerously-bypass-approvals-and-sandbox"
      ])
    expect(remoteCodexArgv(["codex", "--profile", "exec"], relay, "/w")).toBeDefined()
  })

  it.each([
    [["codex", "exec", "hi"]],
    [["codex", "resume", "--last"]],
    [["codex", "--help"]],
    [["codex", "--version"]],
    [["codex", "--remote", "ws://host:1"]],
    [["codex", "--no-daemon"]],
    [["codex", "--add-dir", "/data"]],
    [["codex", "--disable", "daemon_auto_start"]],
    [["codex", "-c", "features.daemon_auto_start=false"]],
    [["grok"]],
    [["/usr/bin/env", "codex"]]
  ])("leaves %j as it is (not the plain TUI, or the user chose how it reaches its server)", (argv) => {
    expect(remoteCodexArgv(argv as unknown as readonly [string, ...Array<string>], relay, "/w")).toBeUndefined()
  })
})
