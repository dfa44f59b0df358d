import { Clock, Duration, Effect, Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { nudgeText } from "../domain/NudgeText.js"
import { BusConfig } from "../services/BusConfig.js"
import { CodexThreads } from "../services/CodexThreads.js"
import { Mailbox, type PendingMessage } from "../services/Mailbox.js"
import { Registry } from "../services/Registry.js"
import { awaitMailToWake, recordWake, unreadFiles } from "./waitMail.js"

/** How often the waker looks for its session's thread while the TUI has not started one yet. */
const bindingPoll = Duration.millis(200)

/** The thread bound to the agent (its registry session id), waiting for the TUI to start one; none when none came. */
const boundThread = (agentId: AgentId) =>
  Effect.gen(function*() {
    const registry = yield* Registry
    const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis((yield* BusConfig).sessionWait)
    for (;;) {
      const row = yield* Effect.orElseSucceed(registry.get(agentId), () => Option.none())
      const thread = Option.filter(Option.map(row, (found) => found.session_id), (id) => id !== "")
      if (Option.isSome(thread) || (yield* Clock.currentTimeMillis) >= deadline) return thread
      yield* Effect.sleep(bindingPoll)
    }
  })

/**
 * Wakes the agent's Codex session for new mail: once its thread has no running turn (a running one ends in the Stop
 * hook, which shows the mail), and if the mail is still unread, starts a turn with the fixed notice through the
 * daemon — nothing is typed, and the content never reaches the screen. Records the wake or why there was none.
 */
export const wakeThread = (agentId: AgentId, fresh: ReadonlyArray<PendingMessage>) =>
  Effect.gen(function*() {
    const threads = yield* CodexThreads
    const mailbox = yield* Mailbox
    const thread = yield* boundThread(agentId)
    if (Option.isNone(thread)) {
      return yield* recordWake(agentId, fresh, "none", false, "no Codex thread is bound to the agent")
    }
    const attempt = Effect.gen(function*() {
      const state = yield* threads.awaitSettled(thread.value)
      const unread = new Set((yield* mailbox.pending(agentId)).map((message) => message.file))
      const still = fresh.filter((message) => unread.has(message.file))
      if (still.length === 0) return
      if (state !== "idle") return yield* recordWake(agentId, still, "none", false, `the Codex thread is ${state}`)
      yield* threads.startTurn(thread.value, nudgeText)
      yield* recordWake(agentId, still, "daemon", true)
    })
    yield* attempt.pipe(
      Effect.catchAll((error) => recordWake(agentId, fresh, "daemon", false, error.reason)),
      Effect.catchAllCause(() => recordWake(agentId, fresh, "daemon", false, "the mailbox could not be read"))
    )
  })

/**
 * The launch wrapper's waker of its own Codex session, for the runtime's life: holds the agent's mail waiter (so
 * senders never type into its pane) and wakes the session's thread for each batch of new mail, one wake per
 * throttle window. Succeeds with false at once when another waiter holds the agent; never fails.
 */
export const wakeCodexSession = (agentId: AgentId, runtimePid: number) =>
  Effect.scoped(Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const known = new Set(yield* unreadFiles(agentId))
    if (!(yield* mailbox.holdWaiter(agentId))) return false
    for (;;) {
      const arrived = yield* awaitMailToWake(agentId, runtimePid, known)
      if (Option.isNone(arrived)) return true
      for (const message of arrived.value) known.add(message.file)
      yield* wakeThread(agentId, arrived.value)
    }
  })).pipe(Effect.catchAll(() => Effect.succeed(false)))
