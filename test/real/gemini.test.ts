/**
 * The real Gemini CLI (pinned) in a private tmux server beside a real Claude Code, each installed with
 * `helioy-bus install <runtime>`. Both models are local stand-ins, so turns start and end offline; that a Gemini turn
 * started is read from the requests it makes to its stand-in model, never from text on the screen.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mailNotice } from "../../src/domain/MailNotice.js"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { removeTempDirs } from "../support/mcpClient.js"
import { busToolPrefix, claudeIdle, type ClaudeSession, seedClaude, startClaude } from "./support/claudeSession.js"
import { geminiBusTool } from "./support/fakeGemini.js"
import { figure, median } from "./support/figures.js"
import {
  geminiIdle,
  type GeminiSession,
  geminiTurns,
  quitGemini,
  seedGemini,
  startGemini,
  typeInto
} from "./support/geminiSession.js"
import { type RealRig, startRealRig, waitFor } from "./support/realRig.js"

let rig: RealRig
let gemini: GeminiSession
let claude: ClaudeSession

beforeAll(async () => {
  // No throttle: the figure sends ten messages in a row, each to an idle session.
  rig = await startRealRig({ HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "0" })
  const repoG = rig.repo("repoG")
  const repoC = rig.repo("repoC")
  seedGemini(rig, [repoG, rig.repo("repoW")])
  seedClaude(rig, [repoC])
  // The Claude session may send as well as read.
  const claudeSettings = join(rig.home, ".claude", "settings.json")
  const settings = JSON.parse(fs.readFileSync(claudeSettings, "utf8")) as { permissions: { allow: Array<string> } }
  settings.permissions.allow.push(`${busToolPrefix.installed}send_message`)
  fs.writeFileSync(claudeSettings, JSON.stringify(settings, null, 2))
  ;[gemini, claude] = await Promise.all([
    startGemini(rig, repoG, { HELIOY_BUS_AGENT_TYPE: "reviewer" }),
    startClaude(rig, repoC, { env: { HELIOY_BUS_AGENT_TYPE: "planner" } })
  ])
})

afterAll(async () => {
  await rig?.close()
  removeTempDirs()
})

/**
 * Waits until the session is idle on five looks in a row (100 ms apart): Gemini's status line drops its busy marker for
 * a moment inside a turn (between the model's answer and the AfterAgent hook), so one idle look may be inside a turn.
 */
const idle = (session: GeminiSession) => {
  let looks = 0
  return waitFor(
    `${session.agentId} idle`,
    60,
    () => {
      looks = geminiIdle(rig.tmux.capture(session.paneId)) ? looks + 1 : 0
      return looks >= 5 ? true : undefined
    },
    () => rig.tmux.capture(session.paneId)
  )
}

/** Sends `content` to `to` as `tester`; returns the send's result and when it was sent. */
const send = async (to: string, content: string) => {
  const sender = await rig.sender()
  const at = Date.now()
  return { at, result: await sender.ok("send_message", { to, content }) }
}

/**
 * Asks the Gemini session (as its user) to call a bus tool; asks again while its MCP server is not up yet (the turn
 * ends without the call). Succeeds with the tool's result.
 */
const geminiCalls = async (tool: string, args: Record<string, unknown>) => {
  const before = rig.gemini.toolResults.length
  const result = () => rig.gemini.toolResults.slice(before).find((found) => found.tool === geminiBusTool(tool))
  for (let attempt = 0; attempt < 6 && result() === undefined; attempt++) {
    await idle(gemini)
    const turns = geminiTurns(rig, gemini).length
    await typeInto(rig, gemini.paneId, `CALL_TOOL ${geminiBusTool(tool)} ${JSON.stringify(args)}`)
    await waitFor("the turn to start", 30, () => geminiTurns(rig, gemini).length > turns ? true : undefined)
    await waitFor("the turn to end", 60, () => result() ?? (geminiIdle(rig.tmux.capture(gemini.paneId)) || undefined))
  }
  return result()!
}

/** Asks the Claude session (as its user) to call a bus tool; succeeds with the tool's result. */
const claudeCalls = async (tool: string, args: Record<string, unknown>) => {
  const before = rig.model.toolResults.length
  await waitFor("Claude idle", 60, () => claudeIdle(rig.tmux.capture(claude.paneId)) ? true : undefined)
  await typeInto(rig, claude.paneId, `CALL_TOOL ${busToolPrefix.installed}${tool} ${JSON.stringify(args)}`)
  return waitFor(
    `Claude's ${tool} call`,
    60,
    () => rig.model.toolResults.slice(before).find((found) => found.tool === `${busToolPrefix.installed}${tool}`),
    () => rig.tmux.capture(claude.paneId)
  )
}

/** Waits until the Gemini session read `content` through its own get_messages (woken by a nudge). */
const geminiReads = (content: string) =>
  waitFor(
    `Gemini to read ${content}`,
    60,
    () =>
      rig.gemini.toolResults.find((result) =>
        result.tool === geminiBusTool("get_messages") && result.text.includes(content)
      ),
    () => rig.tmux.capture(gemini.paneId)
  )

/** Waits until the Claude session read `content` through its own get_messages (woken by its rewake hook). */
const claudeReads = (content: string) =>
  waitFor(
    `Claude to read ${content}`,
    60,
    () =>
      rig.model.toolResults.find((result) =>
        result.tool === `${busToolPrefix.installed}get_messages` && result.cwd === claude.cwd &&
        result.text.includes(content)
      ),
    () => rig.tmux.capture(claude.paneId)
  )

describe("Gemini CLI 0.61.0 beside Claude Code 2.1.330", () => {
  it("registers through its SessionStart hook under its own pane, as runtime gemini with Gemini's session id; its MCP server answers whoami for that session", async () => {
    expect(gemini.agentId).toMatch(/^repoG:reviewer:rig:\d+\.0$/)
    expect(rig.agents().find((agent) => agent.agent_id === gemini.agentId)).toMatchObject({
      runtime: "gemini",
      pane_id: gemini.paneId
    })
    expect(gemini.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    const whoami = await geminiCalls("whoami", {})
    expect(whoami.text).toContain(gemini.agentId)
    expect(whoami.text).toContain(gemini.sessionId)
  })

  it("mail to an idle session: a confirmed nudge starts its turn, the mail notice is in that turn's model request (BeforeAgent), AfterAgent keeps the session working once while it is unread, and the content never reaches the screen", async () => {
    rig.gemini.setReadMail(false)
    await idle(gemini)
    const secret = "SECRET-CONTENT-FOR-GEMINI-1"
    const { at, result } = await send(gemini.agentId, secret)
    expect(result).toMatchObject({
      delivered: true,
      wakes: [{ agent_id: gemini.agentId, wake: "nudge", confirmed: true }]
    })
    const turn = await waitFor(
      "the nudged turn at the stand-in model",
      30,
      () => geminiTurns(rig, gemini).find((request) => request.at >= at && request.lastUserText.includes(nudgeText))
    )
    expect(turn.lastUserText).toContain(mailNotice(gemini.agentId, [{ from: "tester", priority: "normal" }]))
    figure("gemini-nudge-first", { sendToTurnStartMs: turn.at - at })
    // The first wake is the confirmed nudge (the AfterAgent hook records hook-context after it).
    expect(rig.wakesOf(gemini.agentId).filter((wake) => wake.message_id === result.message_id)[0]).toMatchObject({
      method: "nudge",
      confirmed: 1
    })
    // The turn ended with the mail unread: the AfterAgent hook's `decision: block` kept the session working, once.
    const kept = await waitFor(
      "the turn the AfterAgent hook kept going",
      30,
      () =>
        geminiTurns(rig, gemini).find((request) =>
          request.at > turn.at &&
          request.lastUserText.includes(mailNotice(gemini.agentId, [{ from: "tester", priority: "normal" }])) &&
          !request.lastUserText.includes(nudgeText)
        )
    )
    await idle(gemini)
    expect(geminiTurns(rig, gemini).filter((request) => request.at > kept.at)).toEqual([])
    expect(rig.tmux.capture(gemini.paneId)).not.toContain(secret)
  })

  it("10 sends to an idle session: each woken by a confirmed nudge, and each turn reads the mail", async () => {
    // Each turn reads its mail, so no AfterAgent keeps the session going past it: the next send finds it truly idle.
    rig.gemini.setReadMail(true)
    const latencies: Array<number> = []
    const reasons: Array<unknown> = []
    for (let round = 0; round < 10; round++) {
      await idle(gemini)
      const { at, result } = await send(gemini.agentId, `round ${round}`)
      expect(result, `round ${round}`).toMatchObject({ wakes: [{ wake: "nudge", confirmed: true }] })
      reasons.push((result.wakes as Array<{ readonly reason?: unknown }>)[0]!.reason)
      const turn = await waitFor(
        `turn ${round}`,
        30,
        () => geminiTurns(rig, gemini).find((request) => request.at >= at && request.lastUserText.includes(nudgeText))
      )
      latencies.push(turn.at - at)
      await waitFor(
        `round ${round} read`,
        30,
        () =>
          rig.gemini.toolResults.some((found) =>
            found.tool === geminiBusTool("get_messages") && found.text.includes(`round ${round}`)
          ) || undefined
      )
    }
    figure("gemini-nudge", {
      sends: 10,
      sendToTurnStartMedianMs: median(latencies),
      sendToTurnStartMaxMs: Math.max(...latencies),
      sendToTurnStartMs: latencies,
      confirmedOnFirstEnterShare: reasons.filter((reason) => reason === undefined).length / reasons.length
    })
    expect(rig.wakesOf(gemini.agentId).filter((wake) => wake.method === "nudge" && wake.confirmed === 1)).toHaveLength(
      11
    )
  })

  it("Claude Code and Gemini exchange messages both ways, by id and by role", async () => {
    rig.gemini.setReadMail(true)
    const exchanges = [
      { from: "claude", to: gemini.agentId, content: "C2G-BY-ID" },
      { from: "gemini", to: claude.agentId, content: "G2C-BY-ID" },
      { from: "claude", to: "role:reviewer", content: "C2G-BY-ROLE" },
      { from: "gemini", to: "role:planner", content: "G2C-BY-ROLE" }
    ] as const
    for (const { content, from, to } of exchanges) {
      const sent = from === "claude"
        ? await claudeCalls("send_message", { to, content })
        : await geminiCalls("send_message", { to, content })
      expect(sent.text, `${from} -> ${to}`).toMatch(/delivered\\?"\s*:\s*true/)
      const read = from === "claude" ? await geminiReads(content) : await claudeReads(content)
      expect(read.text).toContain(from === "claude" ? claude.agentId : gemini.agentId)
    }
  })

  it("/quit takes the Gemini session off the bus (its three SessionEnds); the Claude session stays", async () => {
    await idle(gemini)
    await quitGemini(rig, gemini)
    await waitFor(
      "the Gemini registration to go",
      30,
      () => rig.agents().some((agent) => agent.agent_id === gemini.agentId) ? undefined : true
    )
    expect(rig.agents().map((agent) => agent.agent_id)).toContain(claude.agentId)
  })
})

describe("Gemini CLI through the launch wrapper (`helioy-bus run gemini -- gemini`)", () => {
  it("the wrapper holds the session's mail waiter and wakes it by typing the notice into its own pane: the sender types nothing, a turn starts and reads the mail, and /quit takes it off the bus", async () => {
    rig.gemini.setReadMail(true)
    const wrapped = await startGemini(rig, rig.repo("repoW"), { HELIOY_BUS_AGENT_TYPE: "tester" }, { wrapped: true })
    await waitFor(`the wrapper's waiter of ${wrapped.agentId}`, 30, () => rig.hasWaiter(wrapped.agentId) || undefined)
    await idle(wrapped)
    const { at, result } = await send(wrapped.agentId, "WRAPPED-GEMINI-MAIL")
    expect(result).toMatchObject({ wakes: [{ agent_id: wrapped.agentId, wake: "nudge", pending: true }] })
    const turn = await waitFor(
      "the turn the wrapper's notice started",
      30,
      () => geminiTurns(rig, wrapped).find((request) => request.at >= at && request.lastUserText.includes(nudgeText))
    )
    // The wrapper records its wake once it saw the turn start (a hook of that turn may record hook-context first).
    expect(
      rig.wakesOf(wrapped.agentId).filter((wake) => wake.message_id === result.message_id && wake.method === "nudge")
    ).toMatchObject([{ confirmed: 1 }])
    await waitFor(
      "the wrapped session to read its mail",
      30,
      () =>
        rig.gemini.toolResults.some((found) =>
          found.tool === geminiBusTool("get_messages") && found.text.includes("WRAPPED-GEMINI-MAIL")
        ) || undefined
    )
    figure("gemini-wrapped", { sendToTurnStartMs: turn.at - at })
    await idle(wrapped)
    await quitGemini(rig, wrapped)
    await waitFor(
      "the wrapped session to leave the bus",
      30,
      () => rig.agents().some((agent) => agent.agent_id === wrapped.agentId) ? undefined : true
    )
  })
})
