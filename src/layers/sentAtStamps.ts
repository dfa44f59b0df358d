/** The send stamps every mailbox (file, PostgreSQL, memory) hands out: unique and increasing within one process. */
import { Clock, Effect, Ref } from "effect"
import { formatMicros } from "../domain/Timestamp.js"

/**
 * Makes a mailbox's `nextSentAt`: the current time in microseconds, or one microsecond after the stamp it gave last
 * when the clock has not passed it, formatted; never fails.
 */
export const makeNextSentAt = Effect.map(Ref.make(0), (lastStamp) =>
  Effect.gen(function*() {
    const nowMicros = (yield* Clock.currentTimeMillis) * 1000
    const stamp = yield* Ref.modify(lastStamp, (last) => {
      const next = Math.max(nowMicros, last + 1)
      return [next, next]
    })
    return formatMicros(stamp)
  }))
