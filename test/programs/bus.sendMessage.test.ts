import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as AppTest from "../../src/layers/AppTest.js"
import * as RuntimesLive from "../../src/layers/RuntimesLive.js"
import { sendMessage } from "../../src/programs/bus.js"
import { claimAll, overNudgePause, seedAgent, setPanes, tmuxCalls, unread } from "../support/unitBus.js"
import { pane } from "../support/unitFixtures.js"

const me = "proj:me"
const bus = AppTest.layerTest({ selfId: me })

const recipientsOf = (input: Parameters<typeof sendMessage>[0]) =>
  Effect.map(sendMessage(input), (result) => result.recipients)

describe("sendMessage", () => {
  describe("addressing", () => {
    it.effect("a send to an agent id delivers one message from the caller to that agent", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:bob")
        const result = yield* sendMessage({ to: "proj:bob", content: "ship it" })
        expect(result).toEqual({
          message_id: expect.any(String),
          thread_id: result.message_id,
          delivered: true,
          nudged: false,
          recipients: ["proj:bob"],
          wakes: [{ agent_id: "proj:bob", wake: "none", confirmed: false, reason: "no_pane" }]
        })
        expect(yield* claimAll("proj:bob")).toEqual([
          expect.objectContaining({ id: result.message_id, from: me, to: "proj:bob", content: "ship it" })
        ])
      }).pipe(Effect.provide(bus)))

    it.effect("a send to one's own id is delivered (only role and '*' exclude the sender)", () =>
      Effect.gen(function*() {
        yield* seedAgent(me)
        expect(yield* recipientsOf({ to: me, content: "note to self" })).toEqual([me])
      }).pipe(Effect.provide(bus)))

    it.effect("a send to role:<type> reaches every agent of that type except the sender", () =>
      Effect.gen(function*() {
        yield* seedAgent(me, { agentType: "backend" })
        yield* seedAgent("proj:b1", { agentType: "backend" })
        yield* seedAgent("proj:f1", { agentType: "frontend" })
        yield* seedAgent("proj:b2", { agentType: "backend" })
        expect(yield* recipientsOf({ to: "role:backend", content: "hi" })).toEqual(["proj:b1", "proj:b2"])
        expect(yield* unread(me)).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("a send to '*' reaches every agent except the sender", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* seedAgent(me)
        yield* seedAgent("proj:b")
        expect(yield* recipientsOf({ to: "*", content: "all hands" })).toEqual(["proj:a", "proj:b"])
        expect(yield* unread(me)).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("a combined address delivers once to each agent it names, in first-mention order", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:x1", { agentType: "x" })
        yield* seedAgent("proj:a", { agentType: "x" })
        yield* seedAgent("proj:other")
        const result = yield* sendMessage({ to: "proj:a; role:x ;proj:a", content: "once" })
        expect(result.recipients).toEqual(["proj:a", "proj:x1"])
        expect(yield* unread("proj:a")).toHaveLength(1)
        expect(yield* unread("proj:x1")).toHaveLength(1)
        expect(yield* unread("proj:other")).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("every recipient's copy carries the same message id and send time", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* seedAgent("proj:b")
        const result = yield* sendMessage({ to: "proj:a;proj:b", content: "same" })
        const [a] = yield* claimAll("proj:a")
        const [b] = yield* claimAll("proj:b")
        expect([a?.id, b?.id]).toEqual([result.message_id, result.message_id])
        expect(a?.sent_at).toBe(b?.sent_at)
      }).pipe(Effect.provide(bus)))

    it.effect("parts that resolve are delivered and the others are reported as failed", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        const result = yield* sendMessage({ to: "proj:a;proj:ghost", content: "partly" })
        expect(result.recipients).toEqual(["proj:a"])
        expect(result.failed).toEqual([{ to: "proj:ghost", error: "Recipient 'proj:ghost' not found in registry" }])
      }).pipe(Effect.provide(bus)))
  })

  describe("refusals", () => {
    it.effect("an unknown recipient fails with RecipientNotFound listing the registered agents", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* seedAgent("proj:b")
        const error = yield* Effect.flip(sendMessage({ to: "proj:ghost", content: "hello?" }))
        expect(error._tag).toBe("RecipientNotFound")
        expect(error.message).toContain("Recipient 'proj:ghost' not found in registry")
        expect(error.message).toContain("Registered agents: proj:a, proj:b.")
      }).pipe(Effect.provide(bus)))

    it.effect("an unknown role fails with RecipientNotFound naming the role", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        const error = yield* Effect.flip(sendMessage({ to: "role:qa", content: "hello?" }))
        expect(error.message).toContain("No agents with role 'qa' found in registry")
      }).pipe(Effect.provide(bus)))

    it.effect("'*' with nobody else registered fails with a clear error", () =>
      Effect.gen(function*() {
        yield* seedAgent(me)
        const exit = yield* Effect.exit(sendMessage({ to: "*", content: "anyone?" }))
        expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "RecipientNotFound" })))
        if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
          expect(exit.cause.error.message).toContain("No other agents are registered")
        }
      }).pipe(Effect.provide(bus)))

    it.effect.each(["", "  ", " ; ;"])(
      "an empty address %j fails with RecipientNotFound saying it is empty",
      (to) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(sendMessage({ to, content: "hi" }))
          expect(error._tag).toBe("RecipientNotFound")
          expect(error.message).toContain("Recipient address is empty")
        }).pipe(Effect.provide(bus))
    )

    it.effect("empty content fails with InvalidInput on content", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        const error = yield* Effect.flip(sendMessage({ to: "proj:a", content: "" }))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "content" })
        expect(yield* unread("proj:a")).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("content over the byte limit fails with MessageTooLarge and nothing is delivered", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* seedAgent("proj:b")
        // Six characters, twelve UTF-8 bytes: the limit counts bytes.
        const error = yield* Effect.flip(sendMessage({ to: "proj:a;proj:b", content: "éééééé" }))
        expect(error).toMatchObject({ _tag: "MessageTooLarge", bytes: 12, limit: 10 })
        expect(yield* unread("proj:a")).toEqual([])
        expect(yield* unread("proj:b")).toEqual([])
        expect((yield* sendMessage({ to: "proj:a", content: "ééééé" })).delivered).toBe(true)
      }).pipe(Effect.provide(AppTest.layerTest({ selfId: me, config: { maxMessageBytes: 10 } }))))

    it.effect("an invalid from_agent fails with InvalidInput on from_agent", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        const error = yield* Effect.flip(sendMessage({ to: "proj:a", content: "hi", from_agent: "../evil" }))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "from_agent" })
        expect(yield* unread("proj:a")).toEqual([])
      }).pipe(Effect.provide(bus)))

    it.effect("a send to a full inbox fails with InboxFull", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* sendMessage({ to: "proj:a", content: "1" })
        const error = yield* Effect.flip(sendMessage({ to: "proj:a", content: "2" }))
        expect(error).toMatchObject({ _tag: "InboxFull", agentId: "proj:a", limit: 1 })
      }).pipe(Effect.provide(AppTest.layerTest({ selfId: me, config: { maxUnread: 1 } }))))
  })

  describe("the message", () => {
    it.effect("a codex recipient gets the codex suffix and a claude recipient does not", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:codex", { runtime: "codex" })
        yield* seedAgent("proj:claude", { runtime: "claude" })
        yield* sendMessage({ to: "proj:codex;proj:claude", content: "do it" })
        const [toCodex] = yield* claimAll("proj:codex")
        const [toClaude] = yield* claimAll("proj:claude")
        expect(RuntimesLive.codex(RuntimesLive.testSettings).messageSuffix).toContain("authorized to act")
        expect(toCodex?.content).toBe(`do it${RuntimesLive.codex(RuntimesLive.testSettings).messageSuffix}`)
        expect(toClaude?.content).toBe("do it")
      }).pipe(Effect.provide(bus)))

    it.effect("reply_to defaults to the sender and keeps an explicit value", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* sendMessage({ to: "proj:a", content: "1" })
        yield* sendMessage({ to: "proj:a", content: "2", reply_to: "proj:lead" })
        yield* sendMessage({ to: "proj:a", content: "3", from_agent: "proj:other" })
        expect((yield* claimAll("proj:a")).map((m) => [m.from, m.reply_to])).toEqual([
          [me, me],
          [me, "proj:lead"],
          ["proj:other", "proj:other"]
        ])
      }).pipe(Effect.provide(bus)))

    it.effect("an empty or blank topic is stored as null, a topic as given", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        yield* sendMessage({ to: "proj:a", content: "1", topic: "" })
        yield* sendMessage({ to: "proj:a", content: "2", topic: "   " })
        yield* sendMessage({ to: "proj:a", content: "3", topic: "ci" })
        yield* sendMessage({ to: "proj:a", content: "4" })
        expect((yield* claimAll("proj:a")).map((m) => m.topic)).toEqual([null, null, "ci", null])
      }).pipe(Effect.provide(bus)))

    it.effect("sends from one caller are read in send order although the clock stands still", () =>
      Effect.gen(function*() {
        yield* seedAgent("proj:a")
        for (const content of ["1", "2", "3", "4", "5"]) yield* sendMessage({ to: "proj:a", content })
        expect((yield* claimAll("proj:a")).map((m) => m.content)).toEqual(["1", "2", "3", "4", "5"])
      }).pipe(Effect.provide(bus)))
  })

  describe("nudging", () => {
    it.effect("a recipient in a live pane is nudged with the fixed text, never the message content", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%5", "s:0.1"))
        yield* seedAgent("proj:bob", { paneId: "%5", tmuxTarget: "s:0.1" })
        const result = yield* overNudgePause(sendMessage({ to: "proj:bob", content: "rm -rf / # secret" }))
        expect(result.nudged).toBe(true)
        const typed = (yield* tmuxCalls).filter((call) => call.op === "typeLiteral")
        expect(typed).toEqual([{ op: "typeLiteral", target: "%5", text: nudgeText }])
      }).pipe(Effect.provide(bus)))

    it.effect("a second send within 30 s does not nudge again although the first message is unread", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%5", "s:0.1"))
        yield* seedAgent("proj:bob", { paneId: "%5", tmuxTarget: "s:0.1" })
        expect((yield* overNudgePause(sendMessage({ to: "proj:bob", content: "1" }))).nudged).toBe(true)
        expect((yield* overNudgePause(sendMessage({ to: "proj:bob", content: "2" }))).nudged).toBe(false)
        expect(yield* unread("proj:bob")).toHaveLength(2)
        expect((yield* tmuxCalls).filter((call) => call.op === "typeLiteral")).toHaveLength(1)
      }).pipe(Effect.provide(bus)))

    it.effect("nudge: false delivers without touching tmux", () =>
      Effect.gen(function*() {
        yield* setPanes(pane("%5", "s:0.1"))
        yield* seedAgent("proj:bob", { paneId: "%5", tmuxTarget: "s:0.1" })
        const result = yield* sendMessage({ to: "proj:bob", content: "quiet", nudge: false })
        expect(result).toMatchObject({ delivered: true, nudged: false })
        expect(yield* tmuxCalls).toEqual([])
      }).pipe(Effect.provide(bus)))
  })
})
