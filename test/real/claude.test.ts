/**
 * The real Claude Code (pinned) in a private tmux server, two sessions side by side in two repos, installed with
 * `helioy-bus install claude`. The model is a local stand-in, so turns start and end offline; that a turn started is
 * read from the session's own transcript, never from text on the screen.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { busBin, removeTempDirs } from "../support/mcpClient.js"
import {
  claudeIdle,
  type ClaudeSession,
  claudeTurns,
  exitClaude,
  seedClaude,
  startClaude
} from "./support/claudeSession.js"
import { clientsBin } from "./support/clients.js"
import { figure, median } from "./support/figures.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"

let rig: RealRig
let a: ClaudeSession
let b: ClaudeSession

/** Every wake counts toward the throttle; a short window keeps the throttle test short. */
const throttleSeconds = 5

beforeAll(async () => {
  rig = await startRealRig({ HELIOY_BUS_NUDGE_THROTTLE_SECONDS: String(throttleSeconds) })
  const repoA = rig.repo("repoA")
  const repoB = rig.repo("repoB")
  seedClaude(rig, [repoA, repoB])
  ;[a, b] = await Promise.all([startClaude(rig, repoA), startClaude(rig, repoB)])
})

afterAll(async () => {
  await rig?.close()
  removeTempDirs()
})

/** Waits until the session is idle with its rewake waiter armed again (its last turn ended in the Stop hook). */
const idleAndArmed = (session: ClaudeSession) =>
  waitFor(
    `${session.agentId} idle with its waiter armed`,
    60,
    () => rig.hasWaiter(session.agentId) && claudeIdle(rig.tmux.capture(session.paneId)) ? true : undefined,
    () => rig.tmux.capture(session.paneId)
  )

/** Sends `content` to a session as `tester`; returns the send's result and when it was sent. */
const send = async (to: string, content: string) => {
  const sender = await rig.sender()
  const at = Date.now()
  return { at, result: await sender.ok("send_message", { to, content }) }
}

describe("Claude Code 2.1.330, two sessions side by side", () => {
  it("each session registers under its own pane, and its rewake waiter watches the registered id's inbox", () => {
    expect(a.agentId).toMatch(/^repoA:general:rig:\d+\.0$/)
    expect(b.agentId).toMatch(/^repoB:general:rig:\d+\.0$/)
    expect(a.paneId).not.toBe(b.paneId)
    expect(a.sessionId).not.toBe(b.sessionId)
    expect(rig.hasWaiter(a.agentId) && rig.hasWaiter(b.agentId)).toBe(true)
    // The directory's id is what a waiter that raced the registration used to watch.
    expect(rig.hasWaiter("repoA:general") || rig.hasWaiter("repoB:general")).toBe(false)
  })

  it("whoami through each session's own MCP server answers that session's id", async () => {
    for (const session of [a, b]) {
      const whoami = () =>
        rig.model.toolResults.find((result) => result.tool === "mcp__helioy-bus__whoami" && result.cwd === session.cwd)
      // The MCP servers connect in the background: until this one has, the model is not offered its tools; ask again.
      for (let attempt = 0; attempt < 6 && whoami() === undefined; attempt++) {
        await waitFor(
          "the session to be idle",
          60,
          () => claudeIdle(rig.tmux.capture(session.paneId)) ? true : undefined
        )
        const turns = claudeTurns(session).length
        rig.tmux.run("send-keys", "-t", session.paneId, "-l", "CALL_TOOL mcp__helioy-bus__whoami")
        await new Promise((resolve) => setTimeout(resolve, 300))
        rig.tmux.run("send-keys", "-t", session.paneId, "Enter")
        await waitFor("the whoami turn to start", 30, () => claudeTurns(session).length > turns ? true : undefined)
        await waitFor(
          "the whoami turn to end",
          60,
          () => whoami() ?? (claudeIdle(rig.tmux.capture(session.paneId)) ? null : undefined)
        )
      }
      expect(JSON.parse(whoami()!.text)).toMatchObject({
        agent_id: session.agentId,
        session_id: session.sessionId,
        identity_source: "session"
      })
    }
  })

  it("mail to an idle session starts its turn through the rewake hook, with nothing typed; the other session is untouched; the content never reaches a screen", async () => {
    await Promise.all([idleAndArmed(a), idleAndArmed(b)])
    const turnsA = claudeTurns(a).length
    const turnsB = claudeTurns(b).length
    const secret = "SECRET-CONTENT-FOR-B-1"
    const { at, result } = await send(b.agentId, secret)
    expect(result).toMatchObject({
      delivered: true,
      nudged: true,
      wakes: [{ agent_id: b.agentId, wake: "rewake", pending: true }]
    })
    const turn = await waitFor(
      "B's turn to start",
      30,
      () => claudeTurns(b).slice(turnsB).find((entry) => entry.at >= at - 1000)
    )
    expect(turn.text).toContain("Stop hook feedback")
    figure("claude-rewake-first", { sendToTurnStartMs: turn.at - at })
    // The first wake is the rewake (a Stop hook may record hook-context after it); none was typed.
    const wakes = rig.wakesOf(b.agentId).filter((wake) => wake.message_id === result.message_id)
    expect(wakes[0]).toMatchObject({ method: "rewake" })
    expect(wakes.map((wake) => wake.method)).not.toContain("nudge")
    await idleAndArmed(b)
    expect(claudeTurns(a)).toHaveLength(turnsA)
    expect(rig.wakesOf(a.agentId)).toEqual([])
    for (const session of [a, b]) expect(rig.tmux.capture(session.paneId)).not.toContain(secret)
    expect(rig.wakesOf(b.agentId).filter((wake) => wake.method === "nudge")).toEqual([])
  })

  it(`a second message within the ${throttleSeconds} s throttle is not woken for before the window is over, and nothing is typed`, async () => {
    await idleAndArmed(b)
    await new Promise((resolve) => setTimeout(resolve, throttleSeconds * 1000))
    const first = await send(b.agentId, "throttle one")
    const woken = await waitFor(
      "the first wake",
      30,
      () => rig.wakesOf(b.agentId).find((wake) => wake.message_id === first.result.message_id)
    )
    const second = await send(b.agentId, "throttle two")
    // Either the sender found no waiter and was throttled, or the re-armed waiter held the wake until the window
    // passed.
    const record = await waitFor(
      "the second message's wake record",
      30,
      () => rig.wakesOf(b.agentId).find((wake) => wake.message_id === second.result.message_id)
    )
    if (record.method === "none") expect(record.reason).toBe("throttled")
    else expect(Date.parse(record.at) - Date.parse(woken.at)).toBeGreaterThanOrEqual(throttleSeconds * 1000)
    expect(rig.wakesOf(b.agentId).filter((wake) => wake.method === "nudge")).toEqual([])
    expect(rig.tmux.capture(b.paneId)).not.toContain(nudgeText)
  })

  it("10 wakes of an idle session: every one through the rewake hook, none typed", async () => {
    const latencies: Array<number> = []
    for (let round = 0; round < 10; round++) {
      await idleAndArmed(b)
      await new Promise((resolve) => setTimeout(resolve, throttleSeconds * 1000))
      const before = claudeTurns(b).length
      const { at, result } = await send(b.agentId, `round ${round}`)
      expect(result).toMatchObject({ wakes: [{ wake: "rewake", pending: true }] })
      const turn = await waitFor(
        `turn ${round}`,
        30,
        () => claudeTurns(b).slice(before).find((entry) => entry.at >= at - 1000)
      )
      latencies.push(turn.at - at)
    }
    const wakes = rig.wakesOf(b.agentId)
    figure("claude-rewake", {
      sends: 10,
      sendToTurnStartMedianMs: median(latencies),
      sendToTurnStartMaxMs: Math.max(...latencies),
      untypedShare: wakes.filter((wake) => wake.method === "rewake").length /
        wakes.filter((wake) => wake.method !== "none").length
    })
    expect(wakes.filter((wake) => wake.method === "nudge")).toEqual([])
  })

  it("/exit takes the session off the bus", async () => {
    await idleAndArmed(b)
    await exitClaude(rig, b)
    await waitFor(
      "B's registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === b.agentId) ? undefined : true
    )
    expect(rig.agents().map((agent) => agent.agent_id)).toContain(a.agentId)
  })
})

describe("Claude Code without the bus's hooks: the typed nudge is the fallback", () => {
  let plain: RealRig
  afterAll(async () => {
    await plain?.close()
  })

  it("a session the launch wrapper registered is woken by the fixed notice typed into its pane, even early in its life; each nudge is confirmed by its turn starting", async () => {
    plain = await startRealRig({ HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "0" })
    const repo = plain.repo("repoP")
    seedClaude(plain, [repo], { hooks: false })
    const paneId = plain.openPane(repo, [process.execPath, busBin, "run", "claude", "--", join(clientsBin(), "claude")])
    const row = await waitFor(
      "the wrapped session to register",
      60,
      () => plain.agents().find((agent) => agent.pane_id === paneId)
    )
    const sender = await plain.sender()
    const outcomes: Array<Record<string, unknown>> = []
    for (let round = 0; round < 5; round++) {
      // The first send comes as soon as the wrapper registered: the TUI may still be starting.
      if (round > 0) {
        await waitFor("the session to be idle", 60, () => claudeIdle(plain.tmux.capture(paneId)) ? true : undefined)
      }
      const at = Date.now()
      const sent = await sender.ok("send_message", { to: row.agent_id, content: `SECRET-TYPED-${round}` })
      const wake = (sent.wakes as Array<Record<string, unknown>>)[0]!
      outcomes.push(wake)
      if (wake.reason === "runtime_starting" || wake.reason === "dialog_open") {
        round--
        await new Promise((resolve) => setTimeout(resolve, 1000))
        continue
      }
      expect(wake, `round ${round}: ${JSON.stringify(wake)}`).toMatchObject({ wake: "nudge", confirmed: true })
      await waitFor(
        `turn ${round} at the stand-in model`,
        30,
        () => plain.model.requests.find((request) => request.at >= at && request.lastUserText.includes(nudgeText))
      )
      expect(plain.tmux.capture(paneId)).not.toContain(`SECRET-TYPED-${round}`)
    }
    const typed = outcomes.filter((outcome) => outcome.wake === "nudge")
    figure("claude-typed", {
      nudges: typed.length,
      confirmedShare: typed.filter((outcome) => outcome.confirmed === true).length / typed.length,
      confirmedOnFirstEnterShare: typed.filter((outcome) =>
        outcome.confirmed === true && outcome.reason === undefined
      ).length / typed.length
    })
  })
})
