import { Clock, Duration, Effect, Option, Schedule } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { newMailNotice } from "../domain/MailNotice.js"
import type { WakeMethod } from "../domain/Wake.js"
import { slotFreeIn, throttleFor, wakeSlot } from "../domain/WakeThrottle.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox, type PendingMessage } from "../services/Mailbox.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { hookAgent } from "./hookAgent.js"
import { type HookContext, type HookOutput, quiet } from "./hookContext.js"
import { recordWakes } from "./wakeRecords.js"

const runtimeGone = (pid: number) =>
  Effect.flatMap(Processes, (processes) =>
    Effect.repeat(processes.isAlive(pid), {
      while: (alive) => alive,
      schedule: Schedule.spaced(Duration.seconds(2))
    }))

/**
 * Waits until the agent's wake slot is free (the nudge throttle counts every wake, whatever its path; at most 5 s
 * for urgent mail), then takes it; succeeds with the messages of `fresh` still unread by then (none: the session read them meanwhile, no wake).
 */
const takeWakeSlot = (agentId: AgentId, fresh: ReadonlyArray<PendingMessage>) =>
  Effect.gen(function*() {
    const registry = yield* Registry
    const mailbox = yield* Mailbox
    const throttleMillis = throttleFor(
      fresh.some((message) => message.priority === "urgent") ? "urgent" : "normal",
      Duration.toMillis((yield* BusConfig).nudgeThrottle)
    )
    for (;;) {
      const files = new Set((yield* mailbox.pending(agentId)).map((message) => message.file))
      const unread = fresh.filter((message) => files.has(message.file))
      if (unread.length === 0) return unread
      const now = yield* Clock.currentTimeMillis
      if (
        yield* Effect.orElseSucceed(registry.claimNudge(agentId, wakeSlot(now, throttleMillis)), () => true)
      ) return unread
      const last = yield* Effect.orElseSucceed(registry.lastNudge(agentId), () => Option.none<string>())
      const wait = Option.match(last, { onNone: () => 0, onSome: (at) => slotFreeIn(at, now, throttleMillis) })
      yield* Effect.sleep(Duration.millis(Math.max(100, wait)))
    }
  })

/** Records that `agentId` was woken by `method` for the messages `woken` (or why not, as `reason`); never fails. */
export const recordWake = (
  agentId: AgentId,
  woken: ReadonlyArray<PendingMessage>,
  method: WakeMethod,
  confirmed: boolean,
  reason = ""
) => recordWakes(woken.map((message) => ({ agentId, messageId: message.id, method, confirmed, reason })))

/** The file names of an agent's unread mail now: what a waiter does not wake for. */
export const unreadFiles = (agentId: AgentId) =>
  Effect.flatMap(
    Mailbox,
    (mailbox) => Effect.map(mailbox.pending(agentId), (pending) => new Set(pending.map((message) => message.file)))
  )

/**
 * Waits, without polling the inbox, for mail not in `known` while the runtime lives; then for the wake slot (one
 * wake per throttle window); succeeds with the new unread messages, or none when the runtime ended. Take `known`
 * before the waiter lock, so that every message a sender delivers after seeing the waiter is new to it.
 */
export const awaitMailToWake = (agentId: AgentId, runtimePid: number, known: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const arrival = Effect.gen(function*() {
      const seen = new Set(known)
      for (;;) {
        const fresh = yield* mailbox.awaitNew(agentId, seen)
        const unread = yield* takeWakeSlot(agentId, fresh)
        if (unread.length > 0) return unread
        for (const message of fresh) seen.add(message.file)
      }
    })
    return yield* Effect.raceFirst(
      Effect.map(arrival, Option.some),
      Effect.as(runtimeGone(runtimePid), Option.none<ReadonlyArray<PendingMessage>>())
    )
  })

/**
 * wait-mail (Claude Code's asyncRewake hook): waits for the agent its session registered (never another id), then
 * for new mail, then exits 2 with a one-line summary on stderr, which wakes the idle session; records the wake. Exits
 * quietly when no agent owns the session, another waiter holds the agent, or the runtime process ends.
 */
export const waitMail = Effect.fn("hooks.waitMail")(function*(hook: HookContext) {
  const mailbox = yield* Mailbox
  const found = yield* hookAgent(hook, (yield* BusConfig).sessionWait)
  if (Option.isNone(found)) return quiet
  const id = found.value
  const known = yield* unreadFiles(id)
  return yield* Effect.scoped(Effect.gen(function*() {
    if (!(yield* mailbox.holdWaiter(id))) return quiet
    const arrived = yield* awaitMailToWake(id, hook.runtimePid, known)
    if (Option.isNone(arrived)) return quiet
    const fresh = arrived.value
    yield* recordWake(id, fresh, "rewake", false)
    return {
      stdout: "",
      stderr: newMailNotice(id, fresh),
      exitCode: 2
    } satisfies HookOutput
  }))
})
