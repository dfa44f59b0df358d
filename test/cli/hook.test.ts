/**
 * `helioy-bus hook <event>` end to end: the built binary with real event JSON on stdin, a fresh bus dir and HOME per
 * test, no tmux unless a test starts a private server. Asserts exactly what each handler prints and how it exits.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { shellWord } from "../../src/domain/ShellWords.js"
import { notOnBusText } from "../../src/programs/hooks.js"
import { holdWriteLock } from "../integration/referenceDb.js"
import { contextLine, freshHookBus, type HookBus, introText, unreadText } from "../support/hookBus.js"
import * as events from "../support/hookEvents.js"
import {
  dropMessage,
  type FakeRuntime,
  killHookProcesses,
  runHookViaShell,
  startFakeRuntime,
  unreadFiles,
  waitForFile,
  waitForNoProcessMentioning
} from "../support/hookProcess.js"
import { removeTempDirs, serverPool } from "../support/mcpClient.js"
import { fakeTuiCommand, pollUntil, readTuiLog, startTmuxServer, type TmuxServer } from "../support/tmuxServer.js"

const servers = serverPool()
const cleanupHooks = ["after-kill-pane", "pane-exited", "window-unlinked"]
const tmuxServers: Array<{ readonly tmux: TmuxServer; readonly busDir: string }> = []
const runtimes: Array<FakeRuntime> = []

afterEach(async () => {
  await servers.closeAll()
  killHookProcesses()
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()))
  for (const { busDir, tmux } of tmuxServers.splice(0)) {
    // Cleanup hooks fire as the server dies; remove them first, then let any prune already running finish.
    for (const name of cleanupHooks) {
      try {
        tmux.run("set-hook", "-gu", name)
      } catch {
        // the server is already gone
      }
    }
    tmux.kill()
    await waitForNoProcessMentioning(busDir)
  }
  removeTempDirs()
})

/** A fake runtime process, stopped after the test. */
const fakeRuntime = () => {
  const runtime = startFakeRuntime()
  runtimes.push(runtime)
  return runtime
}

/** The environment of a Claude Code session whose runtime process is `runtime` (as a launch wrapper sets it). */
const sessionEnv = (runtime: FakeRuntime, extra: Record<string, string> = {}) => ({
  HELIOY_RUNTIME: "claude",
  HELIOY_BUS_CLAUDE_PID: String(runtime.pid),
  ...extra
})

const quietExit = { code: 0, signal: null, stdout: "", stderr: "" }

const proj = "proj:general"

/** Registers `agentId` as a Claude Code session run by `runtime`; returns its event session. */
const register = async (bus: HookBus, agentId: string, runtime: FakeRuntime, sessionId = `sess-${agentId}`) => {
  const session = bus.session(sessionId)
  const result = await bus.run(
    "session-start",
    events.sessionStart(session),
    sessionEnv(runtime, { HELIOY_AGENT_ID: agentId })
  )
  expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(agentId)) })
  return session
}

describe("hook session-start", () => {
  it("registers <cwd basename>:general under the hook's parent, writes its pid file and tells the agent its id", async () => {
    const bus = freshHookBus()
    const session = bus.session("7f1c2d3e-0000-4000-8000-000000000001")

    const result = await bus.run("session-start", events.sessionStart(session))

    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    expect(bus.agents()).toEqual([{
      agent_id: proj,
      cwd: bus.project,
      tmux_target: "",
      pane_id: "",
      pid: process.pid,
      session_id: session.sessionId,
      agent_type: "general",
      runtime: "claude"
    }])
    expect(bus.pidFile(process.pid)).toBe(proj)
  })

  it("HELIOY_BUS_AGENT_TYPE names the type in the id", async () => {
    const bus = freshHookBus()
    const result = await bus.run("session-start", events.sessionStart(bus.session("s-1")), {
      HELIOY_BUS_AGENT_TYPE: "backend"
    })
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText("proj:backend")) })
    expect(bus.agents().map((row) => [row.agent_id, row.agent_type])).toEqual([["proj:backend", "backend"]])
  })

  it("HELIOY_AGENT_ID names the agent; HELIOY_BUS_CLAUDE_PID is the runtime's pid", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, "api:reviewer", runtime, "s-2")
    expect(bus.agents()).toMatchObject([{
      agent_id: "api:reviewer",
      pid: runtime.pid,
      runtime: "claude",
      session_id: "s-2"
    }])
    expect(bus.pidFiles()).toEqual([String(runtime.pid)])
    expect(bus.pidFile(runtime.pid)).toBe("api:reviewer")
  })

  it("a shell between the runtime and the hook is skipped: the runtime is the shell's parent", async () => {
    const bus = freshHookBus()
    const result = await runHookViaShell("session-start", events.sessionStart(bus.session("s-3")), {
      home: bus.home,
      busDir: bus.busDir
    })
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    expect(bus.agents()).toMatchObject([{ agent_id: proj, pid: process.pid }])
    expect(bus.pidFiles()).toEqual([String(process.pid)])
  })

  it("names unread mail and its senders, oldest first, and claims none of it", async () => {
    const bus = freshHookBus()
    dropMessage(bus.busDir, { from: "alice", to: proj })
    dropMessage(bus.busDir, { from: "bob", to: proj })
    dropMessage(bus.busDir, { from: "alice", to: proj })

    const result = await bus.run("session-start", events.sessionStart(bus.session("s-4")))

    expect(result).toEqual({
      ...quietExit,
      stdout: contextLine("SessionStart", `${introText(proj)} ${unreadText(3, proj, ["alice", "bob"])}`)
    })
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(3)
  })

  it("run again in the same session (resume, then clear with a new session id) keeps one identity", async () => {
    const bus = freshHookBus()
    const first = await bus.run("session-start", events.sessionStart(bus.session("s-5"), "startup"))
    const again = await bus.run("session-start", events.sessionStart(bus.session("s-5"), "resume"))
    const cleared = await bus.run("session-start", events.sessionStart(bus.session("s-6"), "clear"))
    for (const result of [first, again, cleared]) {
      expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    }
    expect(bus.agents()).toMatchObject([{ agent_id: proj, session_id: "s-6" }])
    expect(bus.pidFiles()).toEqual([String(process.pid)])
  })
})

describe("hook session-start for Codex (a daemon shares one environment between sessions)", () => {
  const otherSessionEnv = (runtime: FakeRuntime) => ({
    HELIOY_RUNTIME: "codex",
    HELIOY_AGENT_ID: "api:worker",
    HELIOY_BUS_CODEX_PID: String(runtime.pid),
    TMUX_PANE: "%0",
    HELIOY_BUS_SESSION_WAIT_SECONDS: "0.3"
  })

  it("never takes its identity from the environment: another session's variables register and bind nothing", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, "api:worker", runtime, "thread-a")
    const result = await bus.run(
      "session-start",
      events.codexSessionStart(bus.session("thread-b")),
      otherSessionEnv(runtime)
    )
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", notOnBusText) })
    expect(bus.agents()).toMatchObject([{ agent_id: "api:worker", session_id: "thread-a" }])
  })

  it("names the agent its launch wrapper bound to the session, whatever the environment says", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, "api:worker", runtime, "thread-a")
    await register(bus, "web:reviewer", fakeRuntime(), "thread-b")
    const result = await bus.run(
      "session-start",
      events.codexSessionStart(bus.session("thread-b")),
      otherSessionEnv(runtime)
    )
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText("web:reviewer")) })
    expect(bus.agents().map((row) => [row.agent_id, row.session_id])).toEqual([["api:worker", "thread-a"], [
      "web:reviewer",
      "thread-b"
    ]])
  })

  it("run under its launch wrapper without a daemon, binds its session to the wrapper's agent (the pid file of an ancestor)", async () => {
    const bus = freshHookBus()
    await bus.run("session-start", events.sessionStart(bus.session("s-wrapper")))
    expect(bus.pidFile(process.pid)).toBe(proj)
    const result = await bus.run("session-start", events.codexSessionStart(bus.session("thread-c")), {
      HELIOY_RUNTIME: "codex"
    })
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    expect(bus.agents()).toMatchObject([{ agent_id: proj, session_id: "thread-c" }])
  })
})

describe("hook session-end", () => {
  it("reason clear prints nothing and keeps the registration and the pid file", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await register(bus, "api:worker", runtime)

    const result = await bus.run("session-end", events.sessionEnd(session, "clear"), sessionEnv(runtime))

    expect(result).toEqual(quietExit)
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:worker"])
    expect(bus.pidFile(runtime.pid)).toBe("api:worker")
  })

  it.each(["logout", "prompt_input_exit", "other"] as const)(
    "reason %s removes the agent's row and its pid file, keeps other agents, prints nothing",
    async (reason) => {
      const bus = freshHookBus()
      const runtime = fakeRuntime()
      const other = fakeRuntime()
      const session = await register(bus, "api:worker", runtime)
      await register(bus, "api:other", other)

      const result = await bus.run("session-end", events.sessionEnd(session, reason), sessionEnv(runtime))

      expect(result).toEqual(quietExit)
      expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:other"])
      expect(bus.pidFiles()).toEqual([String(other.pid)])
    }
  )

  it("without a pid file for its runtime, the session id finds the agent to remove", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const stranger = fakeRuntime()
    const session = await register(bus, "api:worker", runtime)

    const result = await bus.run("session-end", events.sessionEnd(session, "logout"), sessionEnv(stranger))

    expect(result).toEqual(quietExit)
    expect(bus.agents()).toEqual([])
  })
})

describe("hook user-prompt-submit / pre-tool-use", () => {
  const mailEvents = [
    ["user-prompt-submit", "UserPromptSubmit", events.userPromptSubmit],
    ["pre-tool-use", "PreToolUse", events.preToolUse]
  ] as const

  it.each(mailEvents)(
    "%s with unread mail adds the count and senders as context and leaves the mail unread",
    async (hook, name, event) => {
      const bus = freshHookBus()
      dropMessage(bus.busDir, { from: "lead:planner", to: "api:worker" })
      dropMessage(bus.busDir, { from: "web:frontend", to: "api:worker" })

      const result = await bus.run(hook, event(bus.session("s-7")), { HELIOY_AGENT_ID: "api:worker" })

      expect(result).toEqual({
        ...quietExit,
        stdout: contextLine(name, unreadText(2, "api:worker", ["lead:planner", "web:frontend"]))
      })
      expect(unreadFiles(bus.busDir, "api:worker")).toHaveLength(2)
      const again = await bus.run(hook, event(bus.session("s-7")), { HELIOY_AGENT_ID: "api:worker" })
      expect(again).toEqual(result)
    }
  )

  it.each(mailEvents)(
    "%s finds the agent of its session (registered by session-start) without HELIOY_AGENT_ID",
    async (hook, name, event) => {
      const bus = freshHookBus()
      const runtime = fakeRuntime()
      const session = await register(bus, "api:worker", runtime)
      dropMessage(bus.busDir, { from: "lead:planner", to: "api:worker" })

      const result = await bus.run(hook, event(session), sessionEnv(runtime))

      expect(result).toEqual({ ...quietExit, stdout: contextLine(name, unreadText(1, "api:worker", ["lead:planner"])) })
    }
  )

  it.each(mailEvents)(
    "%s with an empty inbox prints nothing (agent from HELIOY_AGENT_ID)",
    async (hook, _name, event) => {
      const bus = freshHookBus()
      const runtime = fakeRuntime()
      await register(bus, "api:worker", runtime)
      expect(await bus.run(hook, event(bus.session("s-8")), { HELIOY_AGENT_ID: "api:worker" })).toEqual(quietExit)
    }
  )

  it.each(mailEvents)(
    "%s with an empty inbox prints nothing (agent from the pid file of the hook's parent)",
    async (hook, name, event) => {
      const bus = freshHookBus()
      const session = bus.session("s-9")
      await bus.run("session-start", events.sessionStart(session))
      expect(bus.pidFile(process.pid)).toBe(proj)
      expect(await bus.run(hook, event(session))).toEqual(quietExit)
      dropMessage(bus.busDir, { from: "bob", to: proj })
      expect(await bus.run(hook, event(session))).toEqual({
        ...quietExit,
        stdout: contextLine(name, unreadText(1, proj, ["bob"]))
      })
    }
  )
})

describe("hook stop", () => {
  it("with unread mail and stop_hook_active false blocks the stop with the summary as reason", async () => {
    const bus = freshHookBus()
    dropMessage(bus.busDir, { from: "alice", to: proj })
    dropMessage(bus.busDir, { from: "alice", to: proj })

    const result = await bus.run("stop", events.stop(bus.session("s-10"), false), { HELIOY_AGENT_ID: proj })

    expect(result).toEqual({
      ...quietExit,
      stdout: JSON.stringify({ decision: "block", reason: unreadText(2, proj, ["alice"]) }) + "\n"
    })
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(2)
  })

  it("with stop_hook_active true prints nothing, mail or not", async () => {
    const bus = freshHookBus()
    dropMessage(bus.busDir, { from: "alice", to: proj })
    expect(await bus.run("stop", events.stop(bus.session("s-11"), true), { HELIOY_AGENT_ID: proj })).toEqual(quietExit)
  })

  it("with no mail prints nothing", async () => {
    const bus = freshHookBus()
    await bus.run("session-start", events.sessionStart(bus.session("s-12")))
    expect(await bus.run("stop", events.stop(bus.session("s-12"), false))).toEqual(quietExit)
  })

  it("garbage on stdin reads as an empty event: nothing printed, exit 0", async () => {
    const bus = freshHookBus()
    expect(await bus.run("stop", "{not json", { HELIOY_AGENT_ID: proj })).toEqual(quietExit)
  })
})

describe("hook wait-mail", () => {
  /** Starts a waiter for `agentId` (a Codex session run by `runtime`) and waits until it holds the inbox. */
  const startWaiter = async (bus: HookBus, agentId: string, runtime: FakeRuntime) => {
    const waiter = bus.start(
      "wait-mail",
      events.stop(bus.session(`sess-${agentId}`), false),
      sessionEnv(runtime, { HELIOY_AGENT_ID: agentId })
    )
    await waitForFile(bus.waiterFile(agentId))
    return waiter
  }

  it("exits 2 with a one-line summary when a new message arrives; mail already there does not wake it", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    dropMessage(bus.busDir, { from: "alice", to: proj })
    const waiter = await startWaiter(bus, proj, runtime)
    expect(waiter.done()).toBe(false)

    dropMessage(bus.busDir, { from: "bob", to: proj })
    const result = await waiter.exited

    expect(result).toEqual({
      code: 2,
      signal: null,
      stdout: "",
      stderr: `helioy-bus: 1 new message(s) for '${proj}' from bob — call get_messages to read them.\n`
    })
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(2)
    expect(fs.existsSync(bus.waiterFile(proj))).toBe(false)
  })

  it("wakes on a message sent through helioy-bus serve", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, "api:worker", runtime)
    const waiter = await startWaiter(bus, "api:worker", runtime)
    const sender = await servers.start({ home: bus.home, busDir: bus.busDir, agentId: "lead:planner" })

    const sent = await sender.ok("send_message", { to: "api:worker", content: "please review #42" })

    expect(sent).toMatchObject({ delivered: true, recipients: ["api:worker"] })
    expect(await waiter.exited).toEqual({
      code: 2,
      signal: null,
      stdout: "",
      stderr: "helioy-bus: 1 new message(s) for 'api:worker' from lead:planner — call get_messages to read them.\n"
    })
  })

  it("a second concurrent wait-mail exits 0 at once; the first keeps waiting and wakes", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const first = await startWaiter(bus, proj, runtime)

    const second = await bus.run(
      "wait-mail",
      events.stop(bus.session("s-13"), false),
      sessionEnv(runtime, { HELIOY_AGENT_ID: proj })
    )

    expect(second).toEqual(quietExit)
    expect(first.done()).toBe(false)
    expect(fs.readFileSync(bus.waiterFile(proj), "utf8")).toBe(String(first.pid))
    dropMessage(bus.busDir, { from: "carol", to: proj })
    expect(await first.exited).toMatchObject({ code: 2, stdout: "" })
  })

  it("exits 0 quietly when its runtime process ends, and releases the inbox", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const waiter = await startWaiter(bus, proj, runtime)

    await runtime.stop()

    expect(await waiter.exited).toEqual(quietExit)
    expect(fs.existsSync(bus.waiterFile(proj))).toBe(false)
  })
})

describe("hook prune", () => {
  it("with no bus dir (a tmux hook outliving its bus) exits 0 quietly and creates nothing", async () => {
    const bus = freshHookBus()
    expect(await bus.run("prune", "")).toEqual(quietExit)
    expect(fs.existsSync(bus.busDir)).toBe(false)
  })

  it("drops agents whose process is gone and pid files of dead processes; keeps the living", async () => {
    const bus = freshHookBus()
    const gone = fakeRuntime()
    const alive = fakeRuntime()
    await register(bus, "api:gone", gone)
    await register(bus, "api:alive", alive)
    await gone.stop()

    const result = await bus.run("prune", "")

    expect(result).toEqual(quietExit)
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:alive"])
    expect(bus.pidFiles()).toEqual([String(alive.pid)])
  })
})

const everyHook = [
  "session-start",
  "session-end",
  "user-prompt-submit",
  "pre-tool-use",
  "stop",
  "wait-mail",
  "prune"
] as const

/** The event a runtime would send for a hook. */
const eventFor = (bus: HookBus, hook: typeof everyHook[number]) => {
  const session = bus.session("s-broken")
  switch (hook) {
    case "session-start":
      return events.sessionStart(session)
    case "session-end":
      return events.sessionEnd(session, "logout")
    case "user-prompt-submit":
      return events.userPromptSubmit(session)
    case "pre-tool-use":
      return events.preToolUse(session)
    case "stop":
    case "wait-mail":
      return events.stop(session, false)
    case "prune":
      return ""
  }
}

const mailHooks: ReadonlyArray<typeof everyHook[number]> = ["user-prompt-submit", "pre-tool-use"]

/** One stderr line saying the bus is unavailable, for this hook, and why. */
const unavailableLine = (hook: string, why: RegExp) => (stderr: string) => {
  expect(stderr.split("\n")).toHaveLength(2)
  expect(stderr.endsWith("\n")).toBe(true)
  expect(stderr).toMatch(
    new RegExp(`^helioy-bus hook ${hook}: the bus is unavailable \\(.*; continuing without it\\.\\n$`)
  )
  expect(stderr).toMatch(why)
}

describe("hooks on an unusable bus exit 0, print nothing on stdout and say why in one stderr line", () => {
  it.each(everyHook)("%s: the bus dir is group-writable", async (hook) => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, proj, runtime)
    dropMessage(bus.busDir, { from: "alice", to: proj })
    fs.chmodSync(bus.busDir, 0o770)

    const result = await bus.run(hook, eventFor(bus, hook), sessionEnv(runtime, { HELIOY_AGENT_ID: proj }))

    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "" })
    unavailableLine(hook, /group- or world-writable \(mode 770\)/)(result.stderr)
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(1)
  })

  it.each(everyHook)("%s: a file stands where the bus dir should be", async (hook) => {
    const bus = freshHookBus()
    fs.writeFileSync(bus.busDir, "not a directory\n")

    const result = await bus.run(hook, eventFor(bus, hook), { HELIOY_AGENT_ID: proj })

    if (hook === "prune") {
      // No registry to prune: nothing to say, nothing created.
      expect(result).toEqual(quietExit)
    } else {
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "" })
      unavailableLine(hook, /it is not a directory/)(result.stderr)
    }
    expect(fs.readFileSync(bus.busDir, "utf8")).toBe("not a directory\n")
  })

  it.each(everyHook.filter((hook) => !mailHooks.includes(hook)))(
    "%s: another process holds registry.db locked (BEGIN EXCLUSIVE)",
    async (hook) => {
      const bus = freshHookBus()
      const runtime = fakeRuntime()
      await register(bus, proj, runtime)
      dropMessage(bus.busDir, { from: "alice", to: proj })
      const lock = await holdWriteLock(join(bus.busDir, "registry.db"))
      try {
        const result = await bus.run(
          hook,
          eventFor(bus, hook),
          sessionEnv(runtime, { HELIOY_AGENT_ID: proj, HELIOY_BUS_BUSY_TIMEOUT_MS: "50" })
        )

        expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "" })
        unavailableLine(hook, /registry\.db is locked by another process \(waited 50ms\)/)(result.stderr)
      } finally {
        await lock.release()
      }
      expect(bus.agents().map((row) => row.agent_id)).toEqual(["held:by-lock", proj])
      expect(bus.pidFile(runtime.pid)).toBe(proj)
    }
  )
})

describe("the per-prompt and per-tool hooks read no registry", () => {
  it.each(mailHooks)("%s still names the waiting mail while another process holds registry.db locked", async (hook) => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    await register(bus, proj, runtime)
    dropMessage(bus.busDir, { from: "alice", to: proj })
    const lock = await holdWriteLock(join(bus.busDir, "registry.db"))
    try {
      const result = await bus.run(
        hook,
        eventFor(bus, hook),
        sessionEnv(runtime, { HELIOY_AGENT_ID: proj, HELIOY_BUS_BUSY_TIMEOUT_MS: "50" })
      )

      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout).hookSpecificOutput.additionalContext).toContain("from alice")
    } finally {
      await lock.release()
    }
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(1)
  })
})

describe("hooks in a private tmux server", () => {
  /** A private tmux server with a keeper session (so the server outlives killed panes) and a bus. */
  const tmuxBus = () => {
    const bus = freshHookBus("helioy-hook-tmux-")
    const tmux = startTmuxServer(bus.root)
    tmuxServers.push({ tmux, busDir: bus.busDir })
    tmux.newSession("keeper", ["sleep", "600"])
    return {
      bus,
      tmux,
      env: (paneId: string, extra: Record<string, string> = {}) => ({
        TMUX_TMPDIR: tmux.tmpdir,
        TMUX_PANE: paneId,
        ...extra
      })
    }
  }

  const pruneHooks = (tmux: TmuxServer, name: string) =>
    tmux.run("show-hooks", "-g", name).split("\n").filter((line) => line.includes(" hook prune"))

  it("session-start records pane_id and tmux_target and installs the three cleanup hooks once, beside the user's hook", async () => {
    const { bus, env, tmux } = tmuxBus()
    tmux.run("set-hook", "-g", "after-kill-pane[0]", "display-message user-hook")
    const paneId = tmux.newSession("agent", ["sleep", "600"])
    const session = bus.session("s-tmux")

    const first = await bus.run("session-start", events.sessionStart(session), env(paneId))
    const second = await bus.run("session-start", events.sessionStart(session, "resume"), env(paneId))

    const id = "proj:general:agent:0.0"
    for (const result of [first, second]) {
      expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(id)) })
    }
    expect(bus.agents()).toMatchObject([{ agent_id: id, pane_id: paneId, tmux_target: "agent:0.0", pid: process.pid }])
    for (const name of cleanupHooks) {
      const installed = pruneHooks(tmux, name)
      expect(installed).toHaveLength(1)
      expect(installed[0]).toContain(`HELIOY_BUS_DIR=${shellWord(bus.busDir)} `)
      expect(installed[0]).toMatch(/run-shell -b /)
    }
    const userHooks = tmux.run("show-hooks", "-g", "after-kill-pane").trim().split("\n")
    expect(userHooks[0]).toBe("after-kill-pane[0] display-message user-hook")
    expect(userHooks).toHaveLength(2)
  })

  it("a pane titled with an identity (repo:type:session:window.pane) registers under that title", async () => {
    const { bus, env, tmux } = tmuxBus()
    const paneId = tmux.newSession("agent", ["sleep", "600"])
    tmux.run("select-pane", "-t", paneId, "-T", "helioy:reviewer:main:2.1")

    const result = await bus.run("session-start", events.sessionStart(bus.session("s-title")), env(paneId))

    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText("helioy:reviewer:main:2.1")) })
    expect(bus.agents()).toMatchObject([{ agent_id: "helioy:reviewer:main:2.1", pane_id: paneId }])
  })

  it("killing the agent's pane runs the installed prune hook, which drops the agent", async () => {
    const { bus, env, tmux } = tmuxBus()
    const paneId = tmux.newSession("agent", ["sleep", "600"])
    tmux.newSession("other", ["sleep", "600"])
    const otherPane = tmux.run("display-message", "-p", "-t", "other", "#{pane_id}").trim()
    await bus.run("session-start", events.sessionStart(bus.session("s-kill")), env(paneId))
    await bus.run("session-start", events.sessionStart(bus.session("s-other")), env(otherPane))
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["proj:general:agent:0.0", "proj:general:other:0.0"])

    tmux.run("kill-pane", "-t", paneId)

    await pollUntil(
      () => bus.agents().length === 1 ? true : undefined,
      "the prune hook to drop the killed pane's agent",
      () => JSON.stringify(bus.agents())
    )
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["proj:general:other:0.0"])
  })

  it("a send to an agent with a live waiter reports nudged:true and types nothing into its pane", async () => {
    const { bus, env, tmux } = tmuxBus()
    const log = join(bus.root, "tui.log")
    const paneId = tmux.newSession("agent", fakeTuiCommand(bus.root, log))
    await tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the fake TUI to start")
    const runtime = fakeRuntime()
    // Every wake counts toward the throttle (the waiter's too): without one, the second send may nudge at once.
    const noThrottle = { HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "0" }
    const claudeEnv = env(paneId, {
      HELIOY_RUNTIME: "claude",
      HELIOY_BUS_CLAUDE_PID: String(runtime.pid),
      ...noThrottle
    })
    const session = bus.session("s-waiter")
    await bus.run("session-start", events.sessionStart(session), claudeEnv)
    const id = "proj:general:agent:0.0"
    expect(bus.agents()).toMatchObject([{ agent_id: id, runtime: "claude", pane_id: paneId }])
    const waiter = bus.start("wait-mail", events.stop(session, false), claudeEnv)
    await waitForFile(bus.waiterFile(id))
    const sender = await servers.start({
      home: bus.home,
      busDir: bus.busDir,
      agentId: "lead:planner",
      env: { TMUX_TMPDIR: tmux.tmpdir, ...noThrottle }
    })

    expect(await sender.ok("send_message", { to: id, content: "SECRET-PAYLOAD-1" })).toMatchObject({
      delivered: true,
      nudged: true
    })
    expect(await waiter.exited).toMatchObject({
      code: 2,
      stdout: "",
      stderr: `helioy-bus: 1 new message(s) for '${id}' from lead:planner — call get_messages to read them.\n`
    })
    tmux.run("send-keys", "-t", paneId, "-l", "MARKER-WAITER")
    await pollUntil(
      () => readTuiLog(log).some((chunk) => chunk.text.includes("MARKER-WAITER")) ? true : undefined,
      "the marker in the fake TUI"
    )
    expect(readTuiLog(log).map((chunk) => chunk.text).join("")).toBe("MARKER-WAITER")

    // With the waiter gone, the same pane is nudged: the waiter, not an unreachable pane, kept it quiet.
    expect(await sender.ok("send_message", { to: id, content: "SECRET-PAYLOAD-2" })).toMatchObject({ nudged: true })
    const typed = await pollUntil(
      () => {
        const text = readTuiLog(log).map((chunk) => chunk.text).join("")
        return text.includes("\r") ? text : undefined
      },
      "the nudge's Enter in the fake TUI"
    )
    expect(typed).toBe(`MARKER-WAITER${nudgeText}\r`)
    expect(tmux.capture(paneId)).not.toContain("SECRET-PAYLOAD")
  })
})
