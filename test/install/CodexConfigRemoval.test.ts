import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { withCodexConfig } from "../../src/install/CodexConfig.js"
import { withoutCodexConfig } from "../../src/install/CodexConfigRemoval.js"
import type { Installation } from "../../src/install/Installation.js"

const installation: Installation = { node: "/opt/node/bin/node", bin: "/opt/helioy-bus/bin/helioy-bus.js" }

const right = (either: Either.Either<string, string>) => Either.getOrThrowWith(either, (reason) => new Error(reason))
const install = (text: string) => right(withCodexConfig(text, installation))
const uninstall = (text: string) => right(withoutCodexConfig(text))
const reasonOf = (text: string) =>
  Either.match(withoutCodexConfig(text), { onLeft: (reason) => reason, onRight: () => "" })

const configs: Record<string, string> = {
  "an empty file": "",
  "settings, comments and other tables": `# my codex settings
model = "gpt-5.6-sol"   # keep this comment

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
`,
  "an empty [features] table before another table": "[features]\n\n[profiles.fast]\nmodel = \"m\"\n",
  "hooks already on": "[features]\nhooks = true\n",
  "CRLF line ends": "model = \"o3\"\r\n[features]\r\nweb_search = true\r\n",
  "only top-level keys": "model = \"o3\"\n"
}

describe("removing the install from ~/.codex/config.toml", () => {
  for (const [name, text] of Object.entries(configs)) {
    it(`after an install gives back ${name} byte for byte`, () => {
      const installed = install(text)
      expect(installed).not.toBe(text)
      expect(uninstall(installed)).toBe(text)
    })
  }

  it("keeps the final newline the install gave a file that had none", () => {
    const text = "model = \"o3\"\r\n[features]\r\nweb_search = true"
    expect(uninstall(install(text))).toBe(`${text}\r\n`)
  })

  it("changes nothing in a file the install never touched", () => {
    for (const text of Object.values(configs)) expect(uninstall(text)).toBe(text)
  })

  it("removes the whole server entry, the keys and sub-tables the user added to it included", () => {
    const installed = install(
      "[mcp_servers.helioy-bus]\ncommand = \"node\"\nargs = [\"/old/bin/helioy-bus.js\", \"serve\"]\n" +
        "startup_timeout_sec = 20\n\n[mcp_servers.helioy-bus.env]\nHELIOY_BUS_AGENT_TYPE = \"reviewer\"\n\n[features]\nhooks = true\n"
    )
    expect(uninstall(installed)).toBe("[features]\nhooks = true\n")
  })

  it("keeps a hooks key whose note was removed, and one the user turned off again", () => {
    const installed = install("model = \"o3\"\n[features]\nweb_search = true\n")
    const withoutNote = installed.replace(/^# hooks = true above.*\n/m, "")
    expect(uninstall(withoutNote)).toContain("[features]\nweb_search = true\nhooks = true\n")
    const turnedOff = installed.replace("hooks = true\n", "hooks = false\n")
    expect(uninstall(turnedOff)).toContain("hooks = false\n# hooks = true above")
  })

  it("keeps a [features] table the install added once the user put keys of their own in it", () => {
    const installed = install("model = \"o3\"\n")
    expect(uninstall(installed.replace(/(# \[features\] and hooks.*\n)/, "$1web_search = true\n"))).toBe(
      "model = \"o3\"\n\n[features]\nweb_search = true\n"
    )
  })

  it("leaves a helioy-bus server that runs something else alone", () => {
    const python = "[mcp_servers.helioy-bus]\ncommand = \"python3\"\nargs = [\"-m\", \"helioy_bus\"]\n"
    expect(uninstall(python)).toBe(python)
  })

  it("refuses a server written inline or with dotted keys, and a file that is not TOML, saying to edit by hand", () => {
    expect(
      reasonOf("mcp_servers = { helioy-bus = { command = \"node\", args = [\"/x/helioy-bus.js\", \"serve\"] } }\n")
    )
      .toMatch(/inline or with dotted keys.*by hand/)
    expect(
      reasonOf("[mcp_servers]\nhelioy-bus.command = \"node\"\nhelioy-bus.args = [\"/x/helioy-bus.js\", \"serve\"]\n")
    )
      .toMatch(/by hand/)
    expect(reasonOf("[mcp_servers\n")).toMatch(/not valid TOML/)
  })
})
