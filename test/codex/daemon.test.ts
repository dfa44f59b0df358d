import { Effect } from "effect"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { codexHome, controlSocket, daemonEnv, daemonListening } from "../../src/codex/daemon.js"

describe("the Codex daemon of a CODEX_HOME", () => {
  it("is started without any session's variables, so its hooks and MCP servers never inherit one session's identity", () => {
    const env = daemonEnv({
      PATH: "/usr/bin",
      HOME: "/home/me",
      HELIOY_BUS_DIR: "/home/me/.helioy/bus",
      TMUX: "/tmp/tmux-0/default,1,0",
      HELIOY_AGENT_ID: "api:general:main:0.0",
      HELIOY_BUS_AGENT_TYPE: "reviewer",
      HELIOY_BUS_CODEX_PID: "4242",
      HELIOY_SESSION_ID: "s-1",
      TMUX_PANE: "%0"
    })
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/me",
      HELIOY_BUS_DIR: "/home/me/.helioy/bus",
      TMUX: "/tmp/tmux-0/default,1,0",
      HELIOY_RUNTIME: "codex"
    })
  })

  it("has its control socket under CODEX_HOME (default ~/.codex)", () => {
    expect(controlSocket(codexHome({ CODEX_HOME: "/x/codex" }))).toBe(
      join("/x/codex", "app-server-control", "app-server-control.sock")
    )
    expect(codexHome({})).toMatch(/\.codex$/)
  })

  it("is not listening where there is no socket", async () => {
    expect(await Effect.runPromise(daemonListening("/nonexistent/app-server-control.sock"))).toBe(false)
  })
})
