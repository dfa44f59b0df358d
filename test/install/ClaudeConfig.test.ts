import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import {
  claudeHookGroups,
  withClaudeHooks,
  withClaudeMcpServer,
  withoutClaudeHooks,
  withoutClaudeMcpServer
} from "../../src/install/ClaudeConfig.js"
import { withCodexHooks, withoutCodexHooks } from "../../src/install/CodexHooks.js"
import { busHookOf, claudeHooks, isBusHookCommand } from "../../src/install/HookWiring.js"
import type { Installation } from "../../src/install/Installation.js"

const installation: Installation = { node: "/opt/node/bin/node", bin: "/opt/helioy-bus/bin/helioy-bus.js" }
const moved: Installation = { node: "/usr/bin/node", bin: "/home/me/src/helioy bus/bin/helioy-bus.js" }

const right = <A>(either: Either.Either<A, string>): A => Either.getOrThrowWith(either, (reason) => new Error(reason))

type Hooks = Record<string, Array<{ readonly matcher?: string; readonly hooks: Array<Record<string, unknown>> }>>

const userHook = { type: "command", command: "~/bin/notify.sh", timeout: 3 }

/** Every command line in a hooks object, by event. */
const commandsOf = (hooks: unknown): Record<string, Array<string>> =>
  Object.fromEntries(
    Object.entries(hooks as Record<string, Array<{ hooks: Array<{ command: string }> }>>).map(([event, groups]) => [
      event,
      groups.flatMap((group) => group.hooks.map((handler) => handler.command))
    ])
  )

describe("recognising bus hook commands", () => {
  it("recognises installed, plugin and PATH forms, and reads the hook name", () => {
    expect(busHookOf("/usr/bin/node /opt/helioy-bus/bin/helioy-bus.js hook stop")).toBe("stop")
    expect(busHookOf("node \"${CLAUDE_PLUGIN_ROOT}/bin/helioy-bus.js\" hook wait-mail")).toBe("wait-mail")
    expect(busHookOf("'/x y/node' '/x y/bin/helioy-bus.js' hook pre-tool-use")).toBe("pre-tool-use")
    expect(busHookOf("helioy-bus hook session-start")).toBe("session-start")
  })

  it("does not take another tool's hook for ours", () => {
    expect(isBusHookCommand("~/bin/notify.sh")).toBe(false)
    expect(isBusHookCommand("my-helioy-bus-wrapper hook stop")).toBe(false)
    expect(isBusHookCommand("helioy-bus serve")).toBe(false)
  })
})

describe("the Claude Code MCP server entry", () => {
  it("adds helioy-bus beside the user's servers and keys, with absolute paths", () => {
    const config = { numStartups: 12, mcpServers: { github: { type: "http", url: "https://example.test/mcp" } } }
    const merged = right(withClaudeMcpServer(config, installation))
    expect(merged.numStartups).toBe(12)
    expect(merged.mcpServers).toEqual({
      github: { type: "http", url: "https://example.test/mcp" },
      "helioy-bus": {
        type: "stdio",
        command: "/opt/node/bin/node",
        args: ["/opt/helioy-bus/bin/helioy-bus.js", "serve"]
      }
    })
  })

  it("points an existing entry at this installation and keeps the env the user gave it", () => {
    const config = {
      mcpServers: { "helioy-bus": { command: "python3", args: ["old.py"], env: { HELIOY_BUS_DIR: "/b" } } }
    }
    const merged = right(withClaudeMcpServer(config, installation))
    expect((merged.mcpServers as Record<string, unknown>)["helioy-bus"]).toEqual({
      type: "stdio",
      command: "/opt/node/bin/node",
      args: ["/opt/helioy-bus/bin/helioy-bus.js", "serve"],
      env: { HELIOY_BUS_DIR: "/b" }
    })
  })

  it("refuses a file whose mcpServers is not an object", () => {
    expect(Either.isLeft(withClaudeMcpServer({ mcpServers: [] }, installation))).toBe(true)
    expect(Either.isLeft(withClaudeMcpServer([], installation))).toBe(true)
  })
})

describe("the Claude Code hooks", () => {
  it("wires every event with the installation's absolute command", () => {
    const merged = right(withClaudeHooks({}, installation))
    expect(commandsOf(merged.hooks)).toEqual({
      SessionStart: ["session-start", "wait-mail"].map((hook) =>
        `/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook ${hook}`
      ),
      SessionEnd: ["/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook session-end"],
      UserPromptSubmit: ["/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook user-prompt-submit"],
      PreToolUse: ["/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook pre-tool-use"],
      Stop: ["stop", "wait-mail"].map((hook) => `/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook ${hook}`)
    })
    const waitMail = (merged.hooks as Hooks).Stop![0]!.hooks[1]
    expect(waitMail).toMatchObject({ async: true, asyncRewake: true })
    expect((merged.hooks as Hooks).PreToolUse![0]!.matcher).toBe("*")
  })

  it("quotes paths that hold spaces", () => {
    const merged = right(withClaudeHooks({}, moved))
    expect(commandsOf(merged.hooks).Stop![0]).toBe(
      "/usr/bin/node '/home/me/src/helioy bus/bin/helioy-bus.js' hook stop"
    )
  })

  it("keeps the user's keys, events and handlers, in their places", () => {
    const settings = {
      model: "opus",
      hooks: {
        Stop: [{ hooks: [userHook] }],
        PreToolUse: [{ matcher: "Bash", hooks: [userHook] }],
        Notification: [{ hooks: [userHook] }]
      }
    }
    const merged = right(withClaudeHooks(settings, installation))
    const hooks = merged.hooks as Hooks
    expect(merged.model).toBe("opus")
    expect(hooks.Notification).toEqual([{ hooks: [userHook] }])
    expect(hooks.Stop![0]).toEqual({ hooks: [userHook] })
    expect(hooks.PreToolUse![0]).toEqual({ matcher: "Bash", hooks: [userHook] })
    expect(hooks.Stop).toHaveLength(2)
  })

  it("a second merge changes nothing", () => {
    const settings = { hooks: { Stop: [{ hooks: [userHook] }] } }
    const once = right(withClaudeHooks(settings, installation))
    expect(right(withClaudeHooks(once, installation))).toEqual(once)
  })

  it("replaces an earlier installation's handlers instead of adding to them", () => {
    const earlier = right(withClaudeHooks({ hooks: { Stop: [{ hooks: [userHook] }] } }, moved))
    const merged = right(withClaudeHooks(earlier, installation))
    const all = Object.values(commandsOf(merged.hooks)).flat()
    expect(all.filter((command) => command.includes("helioy bus"))).toEqual([])
    expect(all.filter(isBusHookCommand)).toHaveLength(claudeHooks.length)
    expect(commandsOf(merged.hooks).Stop![0]).toBe("~/bin/notify.sh")
  })

  it("takes the bus's handlers out of a group it shares with the user's", () => {
    const mixed = {
      hooks: {
        UserPromptSubmit: [{ hooks: [userHook, { type: "command", command: "helioy-bus hook user-prompt-submit" }] }]
      }
    }
    const merged = right(withClaudeHooks(mixed, installation))
    expect((merged.hooks as Hooks).UserPromptSubmit).toEqual([
      claudeHookGroups(installation).UserPromptSubmit![0],
      { hooks: [userHook] }
    ])
  })

  it("refuses hooks that are not of the documented shape", () => {
    expect(Either.isLeft(withClaudeHooks({ hooks: [] }, installation))).toBe(true)
    expect(Either.isLeft(withClaudeHooks({ hooks: { Stop: "x" } }, installation))).toBe(true)
  })
})

describe("the Codex hooks file", () => {
  it("adds SessionStart, SessionEnd, UserPromptSubmit and Stop beside the user's hooks, once", () => {
    const file = { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [userHook] }], Stop: [{ hooks: [userHook] }] } }
    const merged = right(withCodexHooks(file, installation))
    expect(Object.keys(merged.hooks as object)).toEqual([
      "PreToolUse",
      "Stop",
      "SessionStart",
      "SessionEnd",
      "UserPromptSubmit"
    ])
    expect(commandsOf(merged.hooks).Stop).toEqual([
      "~/bin/notify.sh",
      "/opt/node/bin/node /opt/helioy-bus/bin/helioy-bus.js hook stop"
    ])
    expect(right(withCodexHooks(merged, installation))).toEqual(merged)
  })
})

describe("taking the install back out", () => {
  it("removes the server the install wrote and nothing else, keys in their order", () => {
    const config = {
      numStartups: 12,
      mcpServers: { github: { type: "http", url: "https://example.test/mcp" } },
      tipsHistory: {}
    }
    const installed = right(withClaudeMcpServer(config, installation))
    expect(JSON.stringify(right(withoutClaudeMcpServer(installed)))).toBe(JSON.stringify(config))
    expect(right(withoutClaudeMcpServer(right(withClaudeMcpServer({ numStartups: 1 }, moved))))).toEqual({
      numStartups: 1
    })
  })

  it("leaves a helioy-bus server that runs something else", () => {
    const config = { mcpServers: { "helioy-bus": { command: "python3", args: ["-m", "helioy_bus"] } } }
    expect(right(withoutClaudeMcpServer(config))).toEqual(config)
  })

  it("removes the bus's hooks, keeping the user's events, groups and handlers in their places", () => {
    const settings = {
      model: "opus",
      hooks: {
        Stop: [{ hooks: [userHook] }],
        PreToolUse: [{ matcher: "Bash", hooks: [userHook] }],
        Notification: [{ hooks: [userHook] }]
      },
      statusLine: { type: "command", command: "x" }
    }
    const installed = right(withClaudeHooks(settings, installation))
    expect(JSON.stringify(right(withoutClaudeHooks(installed)))).toBe(JSON.stringify(settings))
    expect(right(withoutClaudeHooks(right(withClaudeHooks({ model: "opus" }, installation))))).toEqual({
      model: "opus"
    })
    expect(right(withoutClaudeHooks({ hooks: {} }))).toEqual({ hooks: {} })
  })

  it("removes the bus's handler from a group it shares with the user's", () => {
    const mixed = { hooks: { Stop: [{ hooks: [userHook, { type: "command", command: "helioy-bus hook stop" }] }] } }
    expect(right(withoutClaudeHooks(mixed))).toEqual({ hooks: { Stop: [{ hooks: [userHook] }] } })
  })

  it("removes the bus's Codex hooks", () => {
    const file = { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [userHook] }], Stop: [{ hooks: [userHook] }] } }
    expect(JSON.stringify(right(withoutCodexHooks(right(withCodexHooks(file, installation)))))).toBe(
      JSON.stringify(file)
    )
  })

  it("refuses files that are not of the documented shape", () => {
    expect(Either.isLeft(withoutClaudeMcpServer({ mcpServers: [] }))).toBe(true)
    expect(Either.isLeft(withoutClaudeHooks({ hooks: [] }))).toBe(true)
    expect(Either.isLeft(withoutCodexHooks("x"))).toBe(true)
  })
})
