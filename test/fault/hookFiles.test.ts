/**
 * The per-prompt and per-tool hooks (their fast path, which loads no Effect) on odd bus-dir files: a FIFO named like
 * a message, a FIFO at an ancestor's pid file, an inbox that is a symlink out of the bus dir. Every hook answers at
 * once, and nothing outside the bus dir is read.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { contextLine, freshHookBus, unreadText } from "../support/hookBus.js"
import * as events from "../support/hookEvents.js"
import { dropMessage, killHookProcesses } from "../support/hookProcess.js"
import { removeTempDirs } from "../support/mcpClient.js"

afterEach(() => {
  killHookProcesses()
  removeTempDirs()
})

const agent = "proj:general"

/** A bus whose agent's inbox holds one message from `alice:general` and, sorting first, a FIFO named like a message. */
const busWithFifo = () => {
  const bus = freshHookBus("helioy-hookfiles-")
  dropMessage(bus.busDir, { from: "alice:general", to: agent })
  const inbox = join(bus.busDir, "inbox", agent)
  fs.mkdirSync(join(bus.busDir, "pids"), { recursive: true, mode: 0o700 })
  execFileSync("mkfifo", ["-m", "600", join(inbox, "0000-00-00T00-00-00.000000+00-00_f1f0f1f0.json")])
  return bus
}

describe("a FIFO named like a message", () => {
  for (
    const [hook, eventName, event] of [
      ["user-prompt-submit", "UserPromptSubmit", events.userPromptSubmit],
      ["pre-tool-use", "PreToolUse", events.preToolUse]
    ] as const
  ) {
    it(`${hook} answers at once, counting it as mail from an unknown sender`, async () => {
      const bus = busWithFifo()
      const result = await bus.run(hook, event(bus.session("s-fifo")), { HELIOY_AGENT_ID: agent })
      expect(result).toEqual({
        code: 0,
        signal: null,
        stdout: contextLine(eventName, unreadText(2, agent, ["unknown", "alice:general"])),
        stderr: ""
      })
    })
  }

  it("stop (the full handler) answers at once too and blocks with the mail", async () => {
    const bus = busWithFifo()
    const result = await bus.run("stop", events.stop(bus.session("s-fifo"), false), { HELIOY_AGENT_ID: agent })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      decision: "block",
      reason: unreadText(2, agent, ["unknown", "alice:general"])
    })
  })
})

describe("the fast path's other files", () => {
  it("a FIFO at an ancestor's pid file is passed over without blocking", async () => {
    const bus = busWithFifo()
    execFileSync("mkfifo", ["-m", "600", join(bus.busDir, "pids", String(process.pid))])
    const result = await bus.run("user-prompt-submit", events.userPromptSubmit(bus.session("s-pid-fifo")))
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("")
  })

  it("an inbox that is a symlink to a directory outside: its files are never read or reported", async () => {
    const bus = freshHookBus("helioy-hookfiles-")
    const outside = join(bus.root, "outside")
    fs.mkdirSync(outside, { mode: 0o700 })
    dropMessage(bus.busDir, { from: "mallory:general", to: "decoy" })
    const decoy = join(bus.busDir, "inbox", "decoy")
    for (const name of fs.readdirSync(decoy).filter((entry) => entry.endsWith(".json"))) {
      fs.renameSync(join(decoy, name), join(outside, name))
    }
    fs.symlinkSync(outside, join(bus.busDir, "inbox", agent))

    const result = await bus.run("user-prompt-submit", events.userPromptSubmit(bus.session("s-link")), {
      HELIOY_AGENT_ID: agent
    })

    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain("mallory")
    expect(result.stderr).toMatch(/symlink/)
  })
})
