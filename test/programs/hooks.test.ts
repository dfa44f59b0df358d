import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Option, Ref, TestClock } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import { wakeSlot } from "../../src/domain/WakeThrottle.js"
import * as AppTest from "../../src/layers/AppTest.js"
import { ProcessTable } from "../../src/layers/ProcessesTest.js"
import { sendMessage } from "../../src/programs/bus.js"
import * as hooks from "../../src/programs/hooks.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { PidFiles } from "../../src/services/PidFiles.js"
import { Registry } from "../../src/services/Registry.js"
import { claimAll, overNudgePause, seedAgent, setPanes, tmuxCalls, unread } from "../support/unitBus.js"
import { id, message, pane } from "../support/unitFixtures.js"

const bob = id("proj:bob")
const bus = AppTest.layerTest({ selfId: "test:general" })

/** The context a hook gets, for the agent `bob` (HELIOY_AGENT_ID) run by the alive process 999, unless overridden. */
const hookContext = (
  overrides: Partial<Omit<hooks.HookContext, "event">> & { readonly event?: Partial<hooks.HookEvent> } = {}
): hooks.HookContext => {
  const { event, ...rest } = overrides
  return {
    runtime: "claude",
    environment: "session",
    runtimePid: 999,
    agentId: bob,
    paneId: "",
    agentType: "general",
    pruneCommand: "helioy-bus hook prune",
    ...rest,
    event: {
      session_id: "",
      hook_event_name: "",
      cwd: "/work/proj",
      source: "",
      reason: "",
      stop_hook_active: false,
      ...event
    }
  }
}

/** Delivers a message from `from` to `to` as a sender does. */
const deliver = (from: string, to: string) =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const sentAt = yield* mailbox.nextSentAt
    yield* mailbox.deliver(to as AgentId, message({ from, to, sentAt }))
  })

const hasWaiter = (agentId: string) => Effect.flatMap(Mailbox, (mailbox) => mailbox.hasWaiter(agentId as AgentId))

/** Lets forked fibers run until a waiter holds the agent's inbox (bounded). */
const untilWaiting = (agentId: string) =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 1000; turn++) {
      if (yield* hasWaiter(agentId)) return
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage(`no waiter took ${agentId}'s inbox`)
  })

const unreadText = (count: number, agentId: string, senders: string) =>
  `helioy-bus: ${count} unread message(s) for '${agentId}' from ${senders} — call get_messages to read them.`

const contextOutput = (hookEventName: string, additionalContext: string): hooks.HookOutput => ({
  stdout: JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext } }),
  stderr: "",
  exitCode: 0
})

const setAlive = (pid: number, alive: boolean) =>
  Effect.flatMap(ProcessTable, (table) =>
    Ref.update(table, (processes) => {
      const next = new Map(processes)
      if (alive) next.set(pid, 1)
      else next.delete(pid)
      return next
    }))

describe("hooks.waitMail", () => {
  it.effect("wakes with exit 2 and a one-line summary when a message is delivered; mail already there does not wake it", () =>
    Effect.gen(function*() {
      yield* deliver("alice", bob)
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext()))
      yield* untilWaiting(bob)
      yield* TestClock.adjust("1 minute")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)

      yield* deliver("carol", bob)

      expect(yield* Fiber.join(fiber)).toEqual({
        stdout: "",
        stderr: `helioy-bus: 1 new message(s) for '${bob}' from carol — call get_messages to read them.`,
        exitCode: 2
      })
      expect((yield* unread(bob)).map((pending) => pending.from)).toEqual(["alice", "carol"])
      expect(yield* hasWaiter(bob)).toBe(false)
    }).pipe(Effect.provide(bus)))

  it.effect("exits quietly within one 2 s check after the runtime process leaves the process table", () =>
    Effect.gen(function*() {
      yield* setAlive(4242, true)
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext({ runtimePid: 4242 })))
      yield* untilWaiting(bob)
      yield* TestClock.adjust("1 second")
      yield* setAlive(4242, false)
      yield* TestClock.adjust("999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)

      yield* TestClock.adjust("1 millis")

      expect(yield* Fiber.join(fiber)).toEqual(hooks.quiet)
      expect(yield* hasWaiter(bob)).toBe(false)
    }).pipe(Effect.provide(bus)))

  it.effect("a second waiter for the same agent is refused at once; the first keeps waiting and wakes", () =>
    Effect.gen(function*() {
      const first = yield* Effect.fork(hooks.waitMail(hookContext()))
      yield* untilWaiting(bob)

      expect(yield* hooks.waitMail(hookContext())).toEqual(hooks.quiet)

      expect(Option.isNone(yield* Fiber.poll(first))).toBe(true)
      expect(yield* hasWaiter(bob)).toBe(true)
      yield* deliver("dave", bob)
      expect(yield* Fiber.join(first)).toMatchObject({ exitCode: 2 })
    }).pipe(Effect.provide(bus)))

  it.effect("waits for the agent of its session when HELIOY_AGENT_ID is unset", () =>
    Effect.gen(function*() {
      yield* seedAgent(bob, { sessionId: "sess-1" })
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext({ agentId: "", event: { session_id: "sess-1" } })))
      yield* untilWaiting(bob)
      yield* deliver("erin", bob)
      expect(yield* Fiber.join(fiber)).toMatchObject({
        exitCode: 2,
        stderr: expect.stringContaining(`for '${bob}' from erin`)
      })
    }).pipe(Effect.provide(bus)))
})

describe("hooks.waitMail, started beside session-start (Claude Code runs them concurrently)", () => {
  it.effect("waits for its session's registration and watches the registered agent's inbox, never the working directory's", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext({ agentId: "", event: { session_id: "sess-late" } })))
      yield* TestClock.adjust("2 seconds")
      expect(yield* hasWaiter("proj:general")).toBe(false)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* seedAgent("proj:general:work:1.0", { sessionId: "sess-late" })
      yield* TestClock.adjust("100 millis")
      yield* untilWaiting("proj:general:work:1.0")
      yield* deliver("erin", "proj:general:work:1.0")
      expect(yield* Fiber.join(fiber)).toMatchObject({
        exitCode: 2,
        stderr: expect.stringContaining("for 'proj:general:work:1.0' from erin")
      })
      expect(yield* hasWaiter("proj:general")).toBe(false)
    }).pipe(Effect.provide(bus)))

  it.effect("with no registration for its session within the session wait, exits quietly and holds no inbox", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        hooks.waitMail(hookContext({ agentId: "", event: { session_id: "sess-never" } }))
      )
      yield* TestClock.adjust("31 seconds")
      expect(yield* Fiber.join(fiber)).toEqual(hooks.quiet)
      expect(yield* hasWaiter("proj:general")).toBe(false)
    }).pipe(Effect.provide(bus)))
})

describe("hooks.waitMail and the wake throttle (every wake of a recipient counts, whatever its path)", () => {
  it.effect("mail that arrives within 30 s of the last wake wakes the session once the 30 s are over, not before", () =>
    Effect.gen(function*() {
      const registry = yield* Registry
      const now = yield* Clock.currentTimeMillis
      expect(yield* registry.claimNudge(bob, wakeSlot(now, 30_000))).toBe(true)
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext()))
      yield* untilWaiting(bob)
      yield* TestClock.adjust("10 seconds")
      yield* deliver("alice", bob)
      yield* TestClock.adjust("19 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1100 millis")
      expect(yield* Fiber.join(fiber)).toMatchObject({ exitCode: 2 })
      expect((yield* registry.wakesOf(bob)).map((wake) => wake.method)).toEqual(["rewake"])
    }).pipe(Effect.provide(bus)))

  it.effect("mail read while the wake waits for its slot wakes nothing; the waiter goes on waiting for newer mail", () =>
    Effect.gen(function*() {
      const registry = yield* Registry
      expect(yield* registry.claimNudge(bob, wakeSlot(yield* Clock.currentTimeMillis, 30_000))).toBe(true)
      const fiber = yield* Effect.fork(hooks.waitMail(hookContext()))
      yield* untilWaiting(bob)
      yield* deliver("alice", bob)
      yield* TestClock.adjust("5 seconds")
      yield* claimAll(bob)
      yield* TestClock.adjust("30 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* deliver("carol", bob)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toMatchObject({ exitCode: 2, stderr: expect.stringContaining("from carol") })
    }).pipe(Effect.provide(bus)))
})

describe("hooks.waitMail and a send", () => {
  it.effect("a claude agent whose waiter held the inbox at delivery is left to it (nudged, nothing typed), though the waiter wakes and leaves first", () =>
    Effect.gen(function*() {
      yield* setPanes(pane("%5", "work:1.0"))
      yield* seedAgent(bob, { paneId: "%5", tmuxTarget: "work:1.0", runtime: "claude" })
      const waiter = yield* Effect.fork(hooks.waitMail(hookContext()))
      yield* untilWaiting(bob)

      const sent = yield* overNudgePause(sendMessage({ to: bob, content: "wake up" }))

      expect(sent).toMatchObject({ delivered: true, nudged: true, recipients: [bob] })
      expect(yield* Fiber.join(waiter)).toMatchObject({ exitCode: 2 })
      expect((yield* tmuxCalls).filter((call) => call.op === "typeLiteral" || call.op === "pressEnter")).toEqual([])
    }).pipe(Effect.provide(bus)))

  it.effect("without a waiter the same agent's pane is nudged", () =>
    Effect.gen(function*() {
      yield* setPanes(pane("%5", "work:1.0"))
      yield* seedAgent(bob, { paneId: "%5", tmuxTarget: "work:1.0", runtime: "claude" })
      expect(yield* overNudgePause(sendMessage({ to: bob, content: "wake up" }))).toMatchObject({ nudged: true })
      expect(
        (yield* tmuxCalls).filter((call) => call.op === "typeLiteral" || call.op === "pressEnter").map((call) =>
          call.op
        )
      )
        .toEqual(["typeLiteral", "pressEnter"])
    }).pipe(Effect.provide(bus)))
})

describe("hooks.stop", () => {
  it.effect("with unread mail and stop_hook_active false blocks with the summary as reason", () =>
    Effect.gen(function*() {
      yield* deliver("alice", bob)
      yield* deliver("carol", bob)
      yield* deliver("alice", bob)
      expect(yield* hooks.stop(hookContext())).toEqual({
        stdout: JSON.stringify({ decision: "block", reason: unreadText(3, bob, "alice, carol") }),
        stderr: "",
        exitCode: 0
      })
      expect(yield* unread(bob)).toHaveLength(3)
    }).pipe(Effect.provide(bus)))

  it.effect("with stop_hook_active true says nothing, even with mail", () =>
    Effect.gen(function*() {
      yield* deliver("alice", bob)
      expect(yield* hooks.stop(hookContext({ event: { stop_hook_active: true } }))).toEqual(hooks.quiet)
    }).pipe(Effect.provide(bus)))

  it.effect("with no mail says nothing", () =>
    Effect.gen(function*() {
      expect(yield* hooks.stop(hookContext())).toEqual(hooks.quiet)
    }).pipe(Effect.provide(bus)))
})

describe("hooks.mailContext", () => {
  it.effect("with unread mail gives the count and senders as additionalContext of the event, and claims nothing", () =>
    Effect.gen(function*() {
      yield* deliver("alice", bob)
      yield* deliver("carol", bob)
      expect(yield* hooks.mailContext("UserPromptSubmit")(hookContext())).toEqual(
        contextOutput("UserPromptSubmit", unreadText(2, bob, "alice, carol"))
      )
      expect(yield* hooks.mailContext("PreToolUse")(hookContext())).toEqual(
        contextOutput("PreToolUse", unreadText(2, bob, "alice, carol"))
      )
      expect(yield* unread(bob)).toHaveLength(2)
    }).pipe(Effect.provide(bus)))

  it.effect("without HELIOY_AGENT_ID reads the inbox of the agent registered for the session", () =>
    Effect.gen(function*() {
      yield* seedAgent(bob, { sessionId: "sess-2" })
      yield* deliver("alice", bob)
      expect(
        yield* hooks.mailContext("UserPromptSubmit")(hookContext({ agentId: "", event: { session_id: "sess-2" } }))
      ).toEqual(
        contextOutput("UserPromptSubmit", unreadText(1, bob, "alice"))
      )
    }).pipe(Effect.provide(bus)))

  it.effect("with no mail says nothing", () =>
    Effect.gen(function*() {
      yield* deliver("alice", "proj:someone-else")
      expect(yield* hooks.mailContext("PreToolUse")(hookContext())).toEqual(hooks.quiet)
    }).pipe(Effect.provide(bus)))
})

describe("hooks.sessionStart", () => {
  const intro = (agentId: string) =>
    `helioy-bus: you are '${agentId}' on the agent bus (tools whoami, list_agents, send_message, get_messages).`

  it.effect("outside tmux registers <repo>:<type>, writes the runtime's pid file, installs no tmux hooks", () =>
    Effect.gen(function*() {
      const output = yield* hooks.sessionStart(hookContext({ agentId: "", event: { session_id: "sess-3" } }))
      expect(output).toEqual(contextOutput("SessionStart", intro("proj:general")))
      const row = Option.getOrThrow(yield* Effect.flatMap(Registry, (registry) => registry.get(id("proj:general"))))
      expect(row).toMatchObject({ pid: 999, session_id: "sess-3", runtime: "claude", pane_id: "" })
      expect(yield* Effect.flatMap(PidFiles, (pidFiles) => pidFiles.read(999))).toEqual(Option.some("proj:general"))
      expect((yield* tmuxCalls).filter((call) => call.op === "ensureGlobalHook")).toEqual([])
    }).pipe(Effect.provide(bus)))

  it.effect("in a tmux pane records the pane and installs the three cleanup hooks; unread mail is named", () =>
    Effect.gen(function*() {
      yield* setPanes(pane("%5", "work:1.0"))
      yield* deliver("alice", "proj:general:work:1.0")
      const output = yield* hooks.sessionStart(
        hookContext({ agentId: "", paneId: "%5", runtime: "codex", runtimePid: 999 })
      )
      const agent = id("proj:general:work:1.0")
      expect(output).toEqual(contextOutput("SessionStart", `${intro(agent)} ${unreadText(1, agent, "alice")}`))
      const row = Option.getOrThrow(yield* Effect.flatMap(Registry, (registry) => registry.get(agent)))
      expect(row).toMatchObject({ pane_id: "%5", tmux_target: "work:1.0", runtime: "codex" })
      expect((yield* tmuxCalls).filter((call) => call.op === "ensureGlobalHook")).toEqual([
        { op: "ensureGlobalHook", target: "after-kill-pane", text: "helioy-bus hook prune" },
        { op: "ensureGlobalHook", target: "pane-exited", text: "helioy-bus hook prune" },
        { op: "ensureGlobalHook", target: "window-unlinked", text: "helioy-bus hook prune" }
      ])
    }).pipe(Effect.provide(bus)))
})

describe("hooks.sessionEnd", () => {
  const registered = Effect.gen(function*() {
    yield* hooks.sessionStart(hookContext({ event: { session_id: "sess-4" } }))
    return {
      row: yield* Effect.flatMap(Registry, (registry) => registry.get(bob)),
      pidFile: yield* Effect.flatMap(PidFiles, (pidFiles) => pidFiles.read(999))
    }
  })

  it.effect("reasons clear and compact keep the registration and the pid file", () =>
    Effect.gen(function*() {
      yield* registered
      for (const reason of ["clear", "compact"]) {
        expect(yield* hooks.sessionEnd(hookContext({ event: { reason, session_id: "sess-4" } }))).toEqual(hooks.quiet)
      }
      const after = {
        row: yield* Effect.flatMap(Registry, (registry) => registry.get(bob)),
        pidFile: yield* Effect.flatMap(PidFiles, (pidFiles) => pidFiles.read(999))
      }
      expect(Option.isSome(after.row)).toBe(true)
      expect(after.pidFile).toEqual(Option.some(bob))
    }).pipe(Effect.provide(bus)))

  it.effect("any other reason removes the agent of the runtime's pid file and the pid file, keeping the inbox", () =>
    Effect.gen(function*() {
      yield* registered
      yield* deliver("alice", bob)
      expect(yield* hooks.sessionEnd(hookContext({ event: { reason: "logout" } }))).toEqual(hooks.quiet)
      expect(yield* Effect.flatMap(Registry, (registry) => registry.get(bob))).toEqual(Option.none())
      expect(yield* Effect.flatMap(PidFiles, (pidFiles) => pidFiles.read(999))).toEqual(Option.none())
      expect(yield* unread(bob)).toHaveLength(1)
    }).pipe(Effect.provide(bus)))

  it.effect("without a pid file, the session id names the agent to remove", () =>
    Effect.gen(function*() {
      yield* registered
      expect(
        yield* hooks.sessionEnd(
          hookContext({ runtimePid: 31337, event: { reason: "prompt_input_exit", session_id: "sess-4" } })
        )
      )
        .toEqual(hooks.quiet)
      expect(yield* Effect.flatMap(Registry, (registry) => registry.get(bob))).toEqual(Option.none())
    }).pipe(Effect.provide(bus)))
})

describe("hooks.prune", () => {
  it.effect("drops agents whose process is gone and the pid files of dead processes", () =>
    Effect.gen(function*() {
      yield* setAlive(4242, true)
      yield* hooks.sessionStart(hookContext({ agentId: "proj:gone", runtimePid: 4242 }))
      yield* hooks.sessionStart(hookContext({ agentId: "proj:alive", runtimePid: 999 }))
      yield* setAlive(4242, false)

      expect(yield* hooks.prune()).toEqual(hooks.quiet)

      expect((yield* Effect.flatMap(Registry, (registry) => registry.list)).map((row) => row.agent_id)).toEqual([
        "proj:alive"
      ])
      expect(yield* Effect.flatMap(PidFiles, (pidFiles) => pidFiles.list)).toEqual([{
        pid: 999,
        agentId: Option.some("proj:alive")
      }])
    }).pipe(Effect.provide(bus)))
})
