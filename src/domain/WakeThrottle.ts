import { formatMillis, parseTimestampMillis } from "./Timestamp.js"

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
