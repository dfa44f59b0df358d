/**
 * Timing and statistics: how long a step takes, percentiles of samples, and rounding for the JSON output.
 */
import { performance } from "node:perf_hooks"

/** Runs an async step and resolves with its result and the milliseconds it took; rejects as the step rejects. */
export const timed = async (step) => {
  const start = performance.now()
  const value = await step()
  return { ms: performance.now() - start, value }
}

/** The p-th percentile (nearest rank) of some samples; undefined for no samples. */
export const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]
}

/** The median (50th percentile, nearest rank) of some samples; undefined for no samples. */
export const median = (samples) => percentile(samples, 50)

/** A number rounded to hundredths, for the JSON output; NaN stays NaN. */
export const round = (value) => Math.round(value * 100) / 100
