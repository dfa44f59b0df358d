import { Clock, Duration, Effect } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { formatMillis } from "../domain/Timestamp.js"
import type { WakeMethod, WakeRecord } from "../domain/Wake.js"
import { BusConfig } from "../services/BusConfig.js"
import type { NudgeOutcome, WakeSkipReason } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"

/** How one recipient of a send was woken, as `send_message` reports it. */
export interface WakeView {
  readonly agent_id: AgentId
  readonly wake: WakeMethod
  /** A turn was seen to start. */
  readonly confirmed: boolean
  /** The recipient's own waiter wakes it; its record is written when it fires. */
  readonly pending?: true
  readonly reason?: WakeSkipReason
}

/** The report of one recipient's wake; never fails. */
export const wakeView = (agentId: AgentId, outcome: NudgeOutcome): WakeView => ({
  agent_id: agentId,
  wake: outcome.method,
  confirmed: outcome.confirmed,
  ...(outcome.pending ? { pending: true as const } : {}),
  ...(outcome.reason === undefined ? {} : { reason: outcome.reason })
})

/** Outcomes that say nothing was ever possible (no pane, a runtime that is never woken): not worth a record. */
const unrecorded: ReadonlySet<WakeSkipReason | undefined> = new Set(["unsupported_runtime", "no_pane"])

/**
 * Records wakes as of now, forgetting records older than the archive TTL (they follow the messages they are
 * about). Never fails: a failed record never fails the send or the wake.
 */
export const recordWakes = (wakes: ReadonlyArray<Omit<WakeRecord, "at">>) =>
  Effect.gen(function*() {
    if (wakes.length === 0) return
    const registry = yield* Registry
    const ttl = (yield* BusConfig).archiveTtl
    const now = yield* Clock.currentTimeMillis
    const at = formatMillis(now)
    yield* registry.recordWakes(wakes.map((wake) => ({ ...wake, at })), formatMillis(now - Duration.toMillis(ttl)))
  }).pipe(Effect.ignore)

/**
 * Records the wakes a sender did itself for message `messageId` (typed nudges, and why none was typed); a waiter
 * records its own.
 */
export const recordSenderWakes = (messageId: string, wakes: ReadonlyArray<WakeView>) =>
  recordWakes(
    wakes.filter((wake) => wake.pending !== true && !unrecorded.has(wake.reason)).map((wake) => ({
      agentId: wake.agent_id,
      messageId,
      method: wake.wake,
      confirmed: wake.confirmed,
      reason: wake.reason ?? ""
    }))
  )
