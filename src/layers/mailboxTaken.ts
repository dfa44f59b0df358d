/** What the file and PostgreSQL mailboxes make of a claim alike: messages held until settled once, and claim as take. */
import { Effect } from "effect"
import type { Claimed, MailboxShape, Taken } from "../services/Mailbox.js"

/** The messages of a claim held until settled: `settle` runs on the first call only, later calls do nothing; never fails. */
export const heldUntilSettled = (
  claimed: Claimed,
  settle: (delivered: boolean) => Effect.Effect<void>
): Taken => {
  let settled = false
  return {
    messages: claimed.messages,
    quarantined: claimed.quarantined,
    remaining: claimed.remaining,
    settle: (delivered: boolean) =>
      Effect.suspend(() => {
        if (settled) return Effect.void
        settled = true
        return settle(delivered)
      })
  }
}

/** A claim as a take settled at once as delivered; fails as the take does. */
export const claimByTaking = (take: MailboxShape["take"]): MailboxShape["claim"] =>
  Effect.fn("Mailbox.claim")(function*(agentId, topic, limit) {
    const taken = yield* take(agentId, topic, limit)
    yield* taken.settle(true)
    return { messages: taken.messages, quarantined: taken.quarantined, remaining: taken.remaining }
  })
