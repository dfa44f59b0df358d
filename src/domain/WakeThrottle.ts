import type { Priority } from "./Message.js"
import { formatMillis, parseTimestampMillis } from "./Timestamp.js"

/** The shortest time between two wakes of one recipient, whatever the priority: an urgent message waits at most this. */
export const urgentThrottleMillis = 5_000

/** The wake throttle for a message of `priority`: the configured one, or at most 5 s for an urgent message. */
export const throttleFor = (priority: Priority, throttleMillis: number): number =>
  priority === "urgent" ? Math.min(throttleMillis, urgentThrottleMillis) : throttleMillis

/** The times of one nudge-slot claim at `nowMillis`, for a throttle of `throttleMillis`; never fails. */
export const wakeSlot = (nowMillis: number, throttleMillis: number) => ({
  now: formatMillis(nowMillis),
  since: formatMillis(nowMillis - throttleMillis),
  forgetBefore: formatMillis(nowMillis - 86_400_000)
})

/**
 * How long after `nowMillis` a slot last taken at `lastTaken` frees up (0 when it is free now, or unreadable); never
 * fails.
 */
export const slotFreeIn = (lastTaken: string, nowMillis: number, throttleMillis: number): number => {
  const taken = parseTimestampMillis(lastTaken)
  return taken === undefined ? 0 : Math.max(0, taken + throttleMillis - nowMillis + 1)
}
