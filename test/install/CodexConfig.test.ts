import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parse } from "smol-toml"
import { addedFeaturesNote, addedHooksNote, withCodexConfig } from "../../src/install/CodexConfig.js"
import { codexEnvVars } from "../../src/install/HookWiring.js"
import type { Installation } from "../../src/install/Installation.js"

const installation: Installation = { node: "/opt/node/bin/node", bin: "/opt/helioy-bus/bin/helioy-bus.js" }

const edit = (text: string) => Either.getOrThrowWith(withCodexConfig(text, installation), (reason) => new Error(reason))
const reasonOf = (text: string) =>
  Either.match(withCodexConfig(text, installation), { onLeft: (reason) => reason, onRight: () => "" })

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed TOML, checked by toEqual
type Toml = Record<string, any>

const ourServer = {
  command: "/opt/node/bin/node",
  args: ["/opt/helioy-bus/bin/helioy-bus.js", "serve"],
  env_vars: [...codexEnvVars]
}

const userConfig = `# my codex settings
model = "gpt-5.6-sol"   # keep this comment
approval_policy = "never"

[mcp_servers.github]
command = "npx"
args = [
  "-y",
  "@github/mcp",   # a comment inside a list
]

[features]
web_search = true

[profiles.fast]
model = "gpt-5.6-mini"
`

describe("editing ~/.codex/config.toml", () => {
  it("adds the server and the hooks feature, keeping every other line byte for byte", () => {
    const after = edit(userConfig)
    const parsed = parse(after) as Toml
    expect(parsed.mcp_servers["helioy-bus"]).toEqual(ourServer)
    expect(parsed.features).toEqual({ web_search: true, hooks: true })
    expect(parsed.model).toBe("gpt-5.6-sol")
    expect(parsed.mcp_servers.github).toEqual({ command: "npx", args: ["-y", "@github/mcp"] })
    expect(parsed.profiles).toEqual({ fast: { model: "gpt-5.6-mini" } })
    const kept = after.split("\n")
    for (const line of userConfig.split("\n")) expect(kept).toContain(line)
    expect(after).toContain("[features]\nweb_search = true\nhooks = true\n")
  })

  it("a second edit changes nothing", () => {
    const once = edit(userConfig)
    expect(edit(once)).toBe(once)
  })

  it("writes an empty file from nothing", () => {
    expect(parse(edit(""))).toEqual({ mcp_servers: { "helioy-bus": ourServer }, features: { hooks: true } })
  })

  it("repoints an earlier entry, keeping the user's other keys and extra env_vars", () => {
    const earlier = `[mcp_servers.helioy-bus]
command = "node"
args = [
  "/old/helioy-bus.js",
  "serve",
]
startup_timeout_sec = 20
env_vars = ["TMUX", "MY_TOKEN"]

[mcp_servers.helioy-bus.env]
HELIOY_BUS_AGENT_TYPE = "reviewer"
`
    const after = edit(earlier)
    const server = (parse(after) as Toml).mcp_servers["helioy-bus"]
    expect(server).toEqual({
      ...ourServer,
      env_vars: [...codexEnvVars, "MY_TOKEN"],
      startup_timeout_sec: 20,
      env: { HELIOY_BUS_AGENT_TYPE: "reviewer" }
    })
    expect(after).toContain("startup_timeout_sec = 20\n")
    expect(after).not.toContain("/old/helioy-bus.js")
    expect(edit(after)).toBe(after)
  })

  it("keeps CRLF line ends and a missing final newline", () => {
    const text = "model = \"o3\"\r\n[features]\r\nweb_search = true"
    const after = edit(text)
    expect(after.startsWith("model = \"o3\"\r\n[features]\r\nweb_search = true\r\nhooks = true")).toBe(true)
    expect(after.replaceAll("\r\n", "")).not.toContain("\n")
  })

  it("marks a hooks key it adds with a note on the next line, and only a key it adds", () => {
    expect(edit(userConfig)).toContain(`[features]\nweb_search = true\nhooks = true\n# ${addedHooksNote}\n`)
    expect(edit("")).toContain(`[features]\nhooks = true\n# ${addedFeaturesNote}\n`)
    expect(edit("[features]\nhooks = false\n")).not.toContain(addedHooksNote)
    expect(edit("[features]\ncodex_hooks = true\n")).not.toContain(addedHooksNote)
    expect(edit("[features]\nhooks = true\n")).not.toContain(addedHooksNote)
  })

  it("turns hooks on when the user had them off", () => {
    const after = edit("[features]\nhooks = false # off for now\n")
    expect((parse(after) as Toml).features.hooks).toBe(true)
  })

  it("rewrites the deprecated codex_hooks key as hooks, in its place, keeping the rest of the table", () => {
    const after = edit("[features]\nweb_search = true\ncodex_hooks = true\nother = 1\n")
    expect(after).toContain("[features]\nweb_search = true\nhooks = true\nother = 1\n")
    expect((parse(after) as Toml).features).toEqual({ web_search: true, hooks: true, other: 1 })
    expect(edit(after)).toBe(after)
  })

  it("drops the deprecated codex_hooks key when hooks is set beside it", () => {
    const after = edit("[features]\nhooks = true\ncodex_hooks = false\n")
    expect((parse(after) as Toml).features).toEqual({ hooks: true })
  })

  it("refuses tables written inline or with dotted keys, saying to edit by hand", () => {
    expect(reasonOf("mcp_servers = { helioy-bus = { command = \"x\" } }\n")).toMatch(/by hand/)
    expect(reasonOf("features.codex_hooks = false\n")).toMatch(/inline or with dotted keys/)
  })

  it("refuses a file that is not TOML", () => {
    expect(reasonOf("[mcp_servers\ncommand = ")).toMatch(/not valid TOML/)
  })
})
