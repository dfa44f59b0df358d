/**
 * The real Codex (pinned) in a private tmux server, two sessions side by side in two repos, each started through
 * `helioy-bus run codex -- codex` after `helioy-bus install codex`. One shared Codex daemon runs both sessions'
 * hooks and MCP servers; that a turn started is read from the daemon itself, never from text on the screen.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { removeTempDirs } from "../support/mcpClient.js"
import {
  type CodexSession,
  type DaemonWatch,
  quitCodex,
  seedCodex,
  startCodex,
  stopCodexDaemon,
  watchDaemon
} from "./support/codexSession.js"
import { figure, median } from "./support/figures.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"

let rig: RealRig
let a: CodexSession
let b: CodexSession
let daemon: DaemonWatch

/** Every wake counts toward the throttle; a short window keeps the throttle test short. */
const throttleSeconds = 6

beforeAll(async () => {
  rig = await startRealRig({ HELIOY_BUS_NUDGE_THROTTLE_SECONDS: String(throttleSeconds) })
  const repoA = rig.repo("repoA")
  const repoB = rig.repo("repoB")
  seedCodex(rig, [repoA, repoB])
  a = await startCodex(rig, repoA)
  b = await startCodex(rig, repoB)
  daemon = await watchDaemon(rig)
})

afterAll(async () => {
  daemon?.close()
  if (rig !== undefined) {
    stopCodexDaemon(rig)
    await rig.close()
  }
  removeTempDirs()
})

/** The time of the first turn start (status `active`) of `threadId` at or after `since`. */
const turnStart = (threadId: string, since: number) =>
  daemon.events.find((event) => event.threadId === threadId && event.status === "active" && event.at >= since)

/** Waits until no turn runs in the thread. */
const threadIdle = (threadId: string) =>
  waitFor(`thread ${threadId} to be idle`, 60, () => {
    const last = [...daemon.events].reverse().find((event) => event.threadId === threadId)
    return last === undefined || last.status === "idle" ? true : undefined
  }, () => JSON.stringify(daemon.events.slice(-8)))

/**
 * Ends the running turn of a thread as the user would (Esc): offline, a turn in the daemon retries the model for
 * minutes. Waits until the thread is idle again.
 */
const endTurn = async (threadId: string) => {
  const listed = await daemon.call("thread/turns/list", { threadId })
  const running = ((listed.result as { data?: Array<{ id: string; status: string }> }).data ?? []).filter((turn) =>
    turn.status === "inProgress"
  )
  for (const turn of running) await daemon.call("turn/interrupt", { threadId, turnId: turn.id })
  await threadIdle(threadId)
}

const send = async (to: string, content: string) => {
  const sender = await rig.sender()
  const at = Date.now()
  return { at, result: await sender.ok("send_message", { to, content }) }
}

describe("Codex 0.171.0, two sessions side by side through one shared daemon", () => {
  it("each session registers under its own pane and its own thread, which its TUI started in its own repo", async () => {
    expect(a.agentId).toMatch(/^repoA:general:rig:\d+\.0$/)
    expect(b.agentId).toMatch(/^repoB:general:rig:\d+\.0$/)
    expect(a.threadId).not.toBe(b.threadId)
    const loaded = await daemon.call("thread/loaded/list", {})
    expect((loaded.result as { data: Array<string> }).data).toEqual(expect.arrayContaining([a.threadId, b.threadId]))
    for (const session of [a, b]) {
      const read = await daemon.call("thread/read", { threadId: session.threadId })
      expect((read.result as { thread: { cwd: string } }).thread.cwd).toBe(session.cwd)
    }
  })

  it("whoami through each session's own MCP server (called in its thread by the daemon) answers that session's id", async () => {
    for (const session of [a, b]) {
      const called = await daemon.call("mcpServer/tool/call", {
        server: "helioy-bus",
        threadId: session.threadId,
        tool: "whoami",
        arguments: {}
      })
      expect((called.result as { structuredContent: unknown }).structuredContent).toMatchObject({
        agent_id: session.agentId,
        session_id: session.threadId,
        identity_source: "call-session"
      })
    }
  })

  it("mail to an idle session starts a turn in its thread through the daemon, with nothing typed; the other session is untouched; the content never reaches a screen", async () => {
    await Promise.all([threadIdle(a.threadId), threadIdle(b.threadId)])
    const secret = "SECRET-CONTENT-FOR-B-2"
    const { at, result } = await send(b.agentId, secret)
    expect(result).toMatchObject({
      delivered: true,
      nudged: true,
      wakes: [{ agent_id: b.agentId, wake: "daemon", pending: true }]
    })
    const started = await waitFor("B's turn to start", 30, () => turnStart(b.threadId, at))
    figure("codex-daemon-first", { sendToTurnStartMs: started.at - at })
    await endTurn(b.threadId)
    await waitFor(
      "B's wake record",
      10,
      () => rig.wakesOf(b.agentId).find((wake) => wake.message_id === result.message_id)
    )
    // The first wake is the daemon's (a Stop hook may record hook-context after it); none was typed.
    const wakes = rig.wakesOf(b.agentId).filter((wake) => wake.message_id === result.message_id)
    expect(wakes[0]).toMatchObject({ method: "daemon", confirmed: 1 })
    expect(wakes.map((wake) => wake.method)).not.toContain("nudge")
    expect(turnStart(a.threadId, at)).toBeUndefined()
    expect(rig.wakesOf(a.agentId)).toEqual([])
    for (const session of [a, b]) expect(rig.tmux.capture(session.paneId)).not.toContain(secret)
  })

  it(`a second message within the ${throttleSeconds} s throttle starts its turn only once the window is over, and nothing is typed`, async () => {
    await threadIdle(b.threadId)
    await new Promise((resolve) => setTimeout(resolve, throttleSeconds * 1000))
    const first = await send(b.agentId, "throttle one")
    const firstTurn = await waitFor("the first turn", 30, () => turnStart(b.threadId, first.at))
    await endTurn(b.threadId)
    const second = await send(b.agentId, "throttle two")
    expect(second.result).toMatchObject({ wakes: [{ wake: "daemon", pending: true }] })
    const record = await waitFor(
      "the second message's wake",
      60,
      () => rig.wakesOf(b.agentId).find((wake) => wake.message_id === second.result.message_id)
    )
    expect(record).toMatchObject({ method: "daemon", confirmed: 1 })
    const secondTurn = turnStart(b.threadId, firstTurn.at + 1)
    expect(secondTurn).toBeDefined()
    expect(secondTurn!.at - firstTurn.at).toBeGreaterThanOrEqual(throttleSeconds * 1000 - 200)
    await endTurn(b.threadId)
    expect(rig.wakesOf(b.agentId).filter((wake) => wake.method === "nudge")).toEqual([])
  })

  it("10 wakes of an idle session: every one through the daemon, none typed", async () => {
    const latencies: Array<number> = []
    for (let round = 0; round < 10; round++) {
      await threadIdle(b.threadId)
      await new Promise((resolve) => setTimeout(resolve, throttleSeconds * 1000))
      const { at, result } = await send(b.agentId, `round ${round}`)
      expect(result).toMatchObject({ wakes: [{ wake: "daemon", pending: true }] })
      latencies.push((await waitFor(`turn ${round}`, 30, () => turnStart(b.threadId, at))).at - at)
      await endTurn(b.threadId)
    }
    const wakes = rig.wakesOf(b.agentId)
    figure("codex-daemon", {
      sends: 10,
      sendToTurnStartMedianMs: median(latencies),
      sendToTurnStartMaxMs: Math.max(...latencies),
      untypedShare: wakes.filter((wake) => wake.method === "daemon" && wake.confirmed === 1).length / wakes.length
    })
    expect(wakes.filter((wake) => wake.method === "nudge")).toEqual([])
  })

  it("quitting the TUI takes the session off the bus, pid file and all", async () => {
    await threadIdle(b.threadId)
    const pid = rig.agents().find((agent) => agent.agent_id === b.agentId)!.pid!
    await quitCodex(rig, b)
    await waitFor(
      "B's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === b.agentId) ? undefined : true
    )
    expect(fs.existsSync(join(rig.busDir, "pids", String(pid)))).toBe(false)
    expect(rig.agents().map((agent) => agent.agent_id)).toContain(a.agentId)
  })
})

describe("Codex without the daemon: its wrapper types the notice into its own pane", () => {
  it("an embedded Codex (daemon turned off) is woken by its wrapper, which holds its waiter and types the fixed notice into its pane, confirmed by its turn starting; the sender types nothing", async () => {
    const session = await startCodex(rig, rig.repo("repoC"), { args: ["--disable", "daemon_auto_start"], relay: false })
    await waitFor(
      `the wrapper's waiter of ${session.agentId}`,
      30,
      () => rig.hasWaiter(session.agentId) ? true : undefined
    )
    const sessions = join(rig.codexHome, "sessions")
    const rollouts = () =>
      fs.existsSync(sessions)
        ? (fs.readdirSync(sessions, { recursive: true }) as Array<string>).filter((name) =>
          String(name).endsWith(".jsonl")
        )
          .map((name) => fs.readFileSync(join(sessions, String(name)), "utf8")).join("\n")
        : ""
    const before = rollouts().split(nudgeText).length
    const secret = "SECRET-CONTENT-FOR-C"
    const { result } = await send(session.agentId, secret)
    expect(result).toMatchObject({
      nudged: true,
      wakes: [{ agent_id: session.agentId, pending: true }]
    })
    const record = await waitFor(
      "the wrapper's wake of the session",
      30,
      () => rig.wakesOf(session.agentId)[0],
      () => JSON.stringify(rig.wakesOf(session.agentId))
    )
    expect(record).toMatchObject({ method: "nudge", confirmed: 1 })
    // The turn's own record: the notice reached Codex as the user's input.
    await waitFor(
      "the notice in the session's rollout",
      30,
      () => rollouts().split(nudgeText).length > before ? true : undefined
    )
    expect(rig.tmux.capture(session.paneId)).not.toContain(secret)
    figure("codex-typed", { confirmedOnFirstEnter: record.reason === "" })
  })
})
