/**
 * `helioy-bus hook <event>` on Gemini CLI's exact payloads (0.61: session_id, transcript_path, cwd, hook_event_name,
 * timestamp, plus each event's own fields) and the variables Gemini sets for its hooks (GEMINI_SESSION_ID, ...; no
 * HELIOY_RUNTIME): the built binary, a fresh bus dir and HOME per test.
 */
import { afterEach, describe, expect, it } from "vitest"
import { contextLine, freshHookBus, type HookBus, introText, unreadText } from "../support/hookBus.js"
import * as events from "../support/hookEvents.js"
import type { EventSession } from "../support/hookEvents.js"
import {
  dropMessage,
  type FakeRuntime,
  killHookProcesses,
  runHookViaShell,
  startFakeRuntime,
  unreadFiles
} from "../support/hookProcess.js"
import { removeTempDirs } from "../support/mcpClient.js"

const runtimes: Array<FakeRuntime> = []

afterEach(async () => {
  killHookProcesses()
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()))
  removeTempDirs()
})

const quietExit = { code: 0, signal: null, stdout: "", stderr: "" }

const proj = "proj:general"

/** A Gemini session's hook environment, its runtime process given as HELIOY_BUS_GEMINI_PID (the launch wrapper's). */
const geminiEnv = (session: EventSession, runtime?: FakeRuntime, extra: Record<string, string> = {}) => ({
  ...events.geminiHookEnv(session),
  ...(runtime === undefined ? {} : { HELIOY_BUS_GEMINI_PID: String(runtime.pid) }),
  ...extra
})

/** Starts a Gemini session on the bus through its SessionStart hook; returns its event session. */
const startSession = async (bus: HookBus, sessionId: string, runtime: FakeRuntime, agentId?: string) => {
  const session = bus.session(sessionId)
  const result = await bus.run(
    "session-start",
    events.geminiSessionStart(session),
    geminiEnv(session, runtime, agentId === undefined ? {} : { HELIOY_AGENT_ID: agentId })
  )
  expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(agentId ?? proj)) })
  return session
}

const fakeRuntime = () => {
  const runtime = startFakeRuntime()
  runtimes.push(runtime)
  return runtime
}

describe("hook session-start on Gemini's SessionStart", () => {
  it("registers the session as runtime gemini under the hook's parent and tells the agent its id as additionalContext", async () => {
    const bus = freshHookBus()
    const session = bus.session("71616368-9d23-4c54-9218-e654585f881d")

    const result = await bus.run("session-start", events.geminiSessionStart(session), geminiEnv(session))

    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    expect(bus.agents()).toEqual([{
      agent_id: proj,
      cwd: bus.project,
      tmux_target: "",
      pane_id: "",
      pid: process.pid,
      session_id: session.sessionId,
      agent_type: "general",
      runtime: "gemini"
    }])
    expect(bus.pidFile(process.pid)).toBe(proj)
  })

  it("run through a shell (Gemini runs hooks with bash -c), the runtime is the shell's parent", async () => {
    const bus = freshHookBus()
    const session = bus.session("s-shell")
    const result = await runHookViaShell("session-start", events.geminiSessionStart(session), {
      home: bus.home,
      busDir: bus.busDir,
      env: events.geminiHookEnv(session)
    })
    expect(result).toEqual({ ...quietExit, stdout: contextLine("SessionStart", introText(proj)) })
    expect(bus.agents()).toMatchObject([{ agent_id: proj, pid: process.pid, runtime: "gemini" }])
  })

  it("the chat transcript under ~/.gemini/tmp alone says Gemini (no GEMINI_SESSION_ID)", async () => {
    const bus = freshHookBus()
    await bus.run("session-start", events.geminiSessionStart(bus.session("s-transcript")))
    expect(bus.agents()).toMatchObject([{ runtime: "gemini" }])
  })

  it("names unread mail in the same additionalContext", async () => {
    const bus = freshHookBus()
    dropMessage(bus.busDir, { from: "lead:planner", to: proj })
    const session = bus.session("s-mail")
    const result = await bus.run("session-start", events.geminiSessionStart(session), geminiEnv(session))
    expect(result).toEqual({
      ...quietExit,
      stdout: contextLine("SessionStart", `${introText(proj)} ${unreadText(1, proj, ["lead:planner"])}`)
    })
  })
})

describe("hook before-agent on Gemini's BeforeAgent", () => {
  it("with unread mail adds the count and senders as BeforeAgent additionalContext, and leaves the mail unread", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-before", runtime)
    dropMessage(bus.busDir, { from: "lead:planner", to: proj })
    dropMessage(bus.busDir, { from: "web:frontend", to: proj })

    const result = await bus.run("before-agent", events.geminiBeforeAgent(session), geminiEnv(session, runtime))

    expect(result).toEqual({
      ...quietExit,
      stdout: contextLine("BeforeAgent", unreadText(2, proj, ["lead:planner", "web:frontend"]))
    })
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(2)
  })

  it("finds its agent through the pid file of the hook's parent (the Gemini process), with nothing in the environment", async () => {
    const bus = freshHookBus()
    const session = bus.session("s-parent")
    await bus.run("session-start", events.geminiSessionStart(session), geminiEnv(session))
    expect(await bus.run("before-agent", events.geminiBeforeAgent(session), geminiEnv(session))).toEqual(quietExit)
    dropMessage(bus.busDir, { from: "bob", to: proj })
    expect(await bus.run("before-agent", events.geminiBeforeAgent(session), geminiEnv(session))).toEqual({
      ...quietExit,
      stdout: contextLine("BeforeAgent", unreadText(1, proj, ["bob"]))
    })
  })

  it("with an empty inbox prints nothing", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-empty", runtime, "api:worker")
    const result = await bus.run(
      "before-agent",
      events.geminiBeforeAgent(session),
      geminiEnv(session, runtime, { HELIOY_AGENT_ID: "api:worker" })
    )
    expect(result).toEqual(quietExit)
  })
})

describe("hook after-agent on Gemini's AfterAgent", () => {
  it("with unread mail and stop_hook_active false keeps the session working: decision block, the summary as reason", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-after", runtime)
    dropMessage(bus.busDir, { from: "alice", to: proj })

    const result = await bus.run("after-agent", events.geminiAfterAgent(session, false), geminiEnv(session, runtime))

    expect(result).toEqual({
      ...quietExit,
      stdout: JSON.stringify({ decision: "block", reason: unreadText(1, proj, ["alice"]) }) + "\n"
    })
    expect(unreadFiles(bus.busDir, proj)).toHaveLength(1)
  })

  it("with stop_hook_active true lets the turn end, mail or not", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-active", runtime)
    dropMessage(bus.busDir, { from: "alice", to: proj })
    expect(await bus.run("after-agent", events.geminiAfterAgent(session, true), geminiEnv(session, runtime)))
      .toEqual(quietExit)
  })

  it("with no mail prints nothing", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-nomail", runtime)
    expect(await bus.run("after-agent", events.geminiAfterAgent(session, false), geminiEnv(session, runtime)))
      .toEqual(quietExit)
  })
})

describe("hook session-end on Gemini's SessionEnd", () => {
  it("the three SessionEnds of one /quit unregister the session once; each exits 0 and prints nothing", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const other = fakeRuntime()
    const session = await startSession(bus, "s-quit", runtime, "api:worker")
    await startSession(bus, "s-other", other, "api:other")

    for (let fired = 0; fired < 3; fired++) {
      const result = await bus.run("session-end", events.geminiSessionEnd(session), geminiEnv(session, runtime))
      expect(result).toEqual(quietExit)
      expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:other"])
      expect(bus.pidFiles()).toEqual([String(other.pid)])
    }
  })

  it("three SessionEnds at once unregister the session and never fail", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-burst", runtime, "api:worker")

    const results = await Promise.all(
      [0, 1, 2].map(() => bus.run("session-end", events.geminiSessionEnd(session), geminiEnv(session, runtime)))
    )

    expect(results).toEqual([quietExit, quietExit, quietExit])
    expect(bus.agents()).toEqual([])
    expect(bus.pidFiles()).toEqual([])
  })

  it("reason clear keeps the session on the bus", async () => {
    const bus = freshHookBus()
    const runtime = fakeRuntime()
    const session = await startSession(bus, "s-clear", runtime, "api:worker")
    expect(await bus.run("session-end", events.geminiSessionEnd(session, "clear"), geminiEnv(session, runtime)))
      .toEqual(quietExit)
    expect(bus.agents().map((row) => row.agent_id)).toEqual(["api:worker"])
  })
})
