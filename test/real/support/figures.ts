/** Figures the real-client suite measures: printed as `[figures] <name> <json>` lines, like the other suites. */

/** Prints one figure line. */
export const figure = (name: string, values: Record<string, unknown>) => {
  console.log(`[figures] ${name} ${JSON.stringify(values)}`)
}

/** The median of some numbers (NaN for none). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((x, y) => x - y)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
