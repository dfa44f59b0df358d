/**
 * Panes a nudge must never type into, and pane addresses tmux must never see, through the built server and a real
 * tmux server on a private socket: a restricted shell, a shell disguised under another name, a nested tmux client,
 * and pane ids or targets that tmux would read as options or patterns.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { openDatabase } from "../integration/referenceDb.js"
import { waitForNoProcessMentioning } from "../support/hookProcess.js"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { fakeTuiCommand, pollUntil, readTuiLog, startTmuxServer, type TmuxServer } from "../support/tmuxServer.js"

const servers = serverPool()
const cleanups: Array<() => void> = []

afterEach(async () => {
  await servers.closeAll()
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  removeTempDirs()
})

/** A bus with a private tmux server, a sender, and a control pane running a fake TUI (registered as `tui:codex`). */
const paneBus = async () => {
  const root = makeTempDir("helioy-panes-")
  const busDir = join(root, "bus")
  const tmux = startTmuxServer(root)
  cleanups.push(() => tmux.kill())
  const env = { HELIOY_TMUX_BIN: tmux.bin }
  const start = (agentId: string) => servers.start({ home: root, busDir, agentId, env })
  const sender = await start("sender:general")
  await sender.ok("register_agent", { pwd: root })
  const register = async (agentId: string, paneId: string) => {
    const server = await start(agentId)
    await server.ok("register_agent", {
      pwd: root,
      pane_id: paneId,
      tmux_target: tmux.target(paneId),
      runtime: "codex"
    })
    return server
  }
  const controlLog = join(root, "control.log")
  const controlPane = tmux.newSession("control", fakeTuiCommand(root, controlLog))
  await tmux.waitForPane(controlPane, (text) => text.includes("fake-tui ready"), "the control TUI")
  await register("tui:codex", controlPane)
  /** Waits until the control TUI read an Enter: the send reached tmux, so anything not typed elsewhere was refused. */
  const controlNudged = () =>
    pollUntil(
      () => readTuiLog(controlLog).some((chunk) => chunk.text.includes("\r")) ? true : undefined,
      "the control pane's Enter"
    )
  return { root, busDir, tmux, sender, start, register, controlNudged }
}

/** Types a marker into a pane and waits until it shows: whatever was typed before has arrived. */
const flush = async (tmux: TmuxServer, paneId: string, marker: string) => {
  tmux.run("send-keys", "-t", paneId, "-l", marker)
  await tmux.waitForPane(paneId, (text) => text.includes(marker), `marker ${marker}`)
}

const foreground = (tmux: TmuxServer, paneId: string) =>
  tmux.run("display-message", "-p", "-t", paneId, "#{pane_current_command}").trim()

describe("a pane whose foreground program must not be typed into", () => {
  for (
    const [what, command, shownAs] of [
      ["a restricted shell (rbash, listed in /etc/shells)", ["rbash", "--norc", "--noprofile"], "rbash"],
      ["a shell run under another name (exec -a claude bash)", [
        "bash",
        "--norc",
        "--noprofile",
        "-c",
        "exec -a claude bash --norc --noprofile"
      ], "claude"]
    ] as const
  ) {
    it(`${what} is not nudged, while a TUI in the same send is`, async () => {
      const bus = await paneBus()
      const paneId = bus.tmux.newSession("shell", [...command])
      await pollUntil(
        () => foreground(bus.tmux, paneId) === shownAs && bus.tmux.capture(paneId).trim() !== "" ? true : undefined,
        `${shownAs} at its prompt`
      )
      await bus.register("shell:codex", paneId)

      const sent = await bus.sender.ok("send_message", { to: "shell:codex;tui:codex", content: "hello" })

      expect(sent.recipients).toEqual(["shell:codex", "tui:codex"])
      await bus.controlNudged()
      await flush(bus.tmux, paneId, "MARKER-SHELL")
      expect(bus.tmux.capture(paneId)).not.toContain("get_messages")
    })
  }

  it("a nested tmux client is not nudged (nothing reaches the inner session either)", async () => {
    const bus = await paneBus()
    const innerSocket = join(bus.root, "inner.sock")
    const inner = (...args: ReadonlyArray<string>) =>
      execFileSync("tmux", ["-S", innerSocket, ...args], { encoding: "utf8", env: bus.tmux.env })
    cleanups.push(() => {
      try {
        inner("kill-server")
      } catch {
        // already gone
      }
    })
    const paneId = bus.tmux.newSession("nested", [
      "env",
      "-u",
      "TMUX",
      "tmux",
      "-S",
      innerSocket,
      "-f",
      "/dev/null",
      "new-session",
      "cat"
    ])
    await pollUntil(
      () => foreground(bus.tmux, paneId) === "tmux" && fs.existsSync(innerSocket) ? true : undefined,
      "the nested tmux client"
    )
    await bus.register("nested:codex", paneId)

    await bus.sender.ok("send_message", { to: "nested:codex;tui:codex", content: "hello" })

    await bus.controlNudged()
    inner("send-keys", "-l", "MARKER-INNER")
    await pollUntil(
      () => inner("capture-pane", "-p").includes("MARKER-INNER") ? true : undefined,
      "the marker in the inner pane"
    )
    expect(inner("capture-pane", "-p")).not.toContain("get_messages")
    expect(bus.tmux.capture(paneId)).not.toContain(nudgeText)
  })
})

describe("pane addresses tmux would misread", () => {
  const hostile = [
    "-t",
    "=main:",
    "-X",
    "main",
    "%",
    "%1;kill-server",
    "main:0",
    "=main:0.0",
    "-t:0.0",
    "{last}",
    "main:0.0 ",
    "$1:0.0"
  ]

  it("register_agent refuses pane ids other than %N and targets other than session:window.pane, and writes nothing", async () => {
    const bus = await paneBus()
    const before = (await bus.sender.ok("list_agents")).result
    for (const value of hostile) {
      for (const field of ["pane_id", "tmux_target"]) {
        if (field === "tmux_target" && value === "main:0.0 ") continue // trimmed, then well formed
        const { message, structured } = await bus.sender.fails("register_agent", {
          pwd: bus.root,
          agent_id: "hostile:codex",
          [field]: value
        })
        expect(structured).toMatchObject({ type: "InvalidInput", field })
        expect(message).toMatch(field === "pane_id" ? /%12/ : /session:window\.pane/)
      }
    }
    expect((await bus.sender.ok("list_agents")).result).toEqual(before)
    expect(fs.existsSync(join(bus.busDir, "inbox", "hostile:codex"))).toBe(false)
  })

  it("a registry row written elsewhere with such a pane id or target never gets another pane nudged", async () => {
    const bus = await paneBus()
    const mainLog = join(bus.root, "main.log")
    const mainPane = bus.tmux.newSession("main", fakeTuiCommand(bus.root, mainLog))
    await bus.tmux.waitForPane(mainPane, (text) => text.includes("fake-tui ready"), "the main TUI")
    const db = openDatabase(join(bus.busDir, "registry.db"))
    const now = new Date().toISOString().replace("Z", "000+00:00")
    const insert = db.prepare(
      "INSERT INTO agents (agent_id, cwd, tmux_target, pane_id, pid, session_id, agent_type, runtime, registered_at, last_seen) VALUES (?, ?, ?, ?, NULL, '', 'general', 'codex', ?, ?)"
    )
    hostile.forEach((value, n) => {
      insert.run(`foreign${n}:pane`, bus.root, "", value, now, now)
      insert.run(`foreign${n}:target`, bus.root, value, "", now, now)
    })
    db.close()
    const recipients = hostile.flatMap((_, n) => [`foreign${n}:pane`, `foreign${n}:target`])

    const sent = await bus.sender.ok("send_message", {
      to: [...recipients, "tui:codex"].join(";"),
      content: "hello",
      nudge: true
    })

    expect(sent.recipients).toEqual([...recipients, "tui:codex"])
    await bus.controlNudged()
    await flush(bus.tmux, mainPane, "MARKER-MAIN")
    expect(readTuiLog(mainLog).map((chunk) => chunk.text).join("")).toBe("MARKER-MAIN")
  })
})

describe("the tmux cleanup hooks", () => {
  it("a bus dir path holding tmux formats and shell syntax reaches the prune hook literally: nothing runs, the prune works", async () => {
    const root = makeTempDir("helioy-panes-")
    const marker = join(root, "format-ran")
    const busDir = join(root, `bus #{session_name} #(touch "$HELIOY_TEST_MARKER") $HOME 'q`)
    const tmux = startTmuxServer(root)
    cleanups.push(() => tmux.kill())
    tmux.newSession("keeper", ["sleep", "600"])
    tmux.run("set-environment", "-g", "HELIOY_TEST_MARKER", marker)
    const agentPane = tmux.newSession("agent", ["sleep", "600"])
    const hook = execFileSync(process.execPath, [busBin, "hook", "session-start"], {
      input: JSON.stringify({ session_id: "s-format", cwd: root, hook_event_name: "SessionStart", source: "startup" }),
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: root,
        HELIOY_BUS_DIR: busDir,
        HELIOY_AGENT_ID: "agent:codex",
        TMUX_TMPDIR: tmux.tmpdir,
        TMUX_PANE: agentPane
      },
      encoding: "utf8"
    })
    expect(hook).toContain("agent:codex")
    const registered = () => {
      const db = openDatabase(join(busDir, "registry.db"), { readonly: true })
      try {
        return db.prepare("SELECT agent_id FROM agents").all().map((row) => row.agent_id)
      } finally {
        db.close()
      }
    }
    expect(registered()).toEqual(["agent:codex"])

    tmux.run("kill-pane", "-t", agentPane)

    // The prune hook, run with this bus dir (not a mangled one), drops the agent of the killed pane.
    await pollUntil(
      () => registered().length === 0 ? true : undefined,
      "the prune hook to drop the agent",
      () => JSON.stringify(registered())
    )
    // Everything the hook started (the prune, and any format job) has ended: none of them ran the planted command.
    await waitForNoProcessMentioning("HELIOY_TEST_MARKER")
    expect(fs.existsSync(marker)).toBe(false)
    expect(tmux.run("show-hooks", "-g", "after-kill-pane")).toContain("##(touch")
    // The cleanup hooks would fire again as the server dies: removed first, so no prune outlives the test.
    for (const name of ["after-kill-pane", "pane-exited", "window-unlinked"]) tmux.run("set-hook", "-gu", name)
  })
})
