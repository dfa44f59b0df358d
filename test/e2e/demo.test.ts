import { execFileSync } from "node:child_process"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const bin = join(import.meta.dirname, "..", "..", "bin", "helioy-bus.js")
const hasTmux = spawnSync("tmux", ["-V"]).status === 0

describe("helioy-bus demo (the README's first command)", () => {
  it.runIf(hasTmux)(
    "runs to its end: messages flow, and the idle agent's pane gets the fixed notice typed and submitted",
    () => {
      const env = { ...process.env }
      delete env.TMUX
      delete env.TMUX_PANE
      delete env.HELIOY_AGENT_ID
      const out = execFileSync(process.execPath, [bin, "demo"], { env, encoding: "utf8", timeout: 120_000 })
      expect(out).toMatch(/nudged: yes/)
      expect(out).toMatch(/fixed notice landed: yes; message text in the pane: no/)
      expect(out).toMatch(/dave reads its messages .* 1 message\(s\)/)
    }
  )
})
