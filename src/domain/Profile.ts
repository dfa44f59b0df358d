/**
 * Limits of an agent's `profile` (owns, consumes, capabilities, ...): plain JSON, shallow and small enough for every
 * reader.
 */

/** How deeply a profile may nest objects and arrays. */
export const maxProfileDepth = 32

/** The largest profile, in bytes of its JSON. */
export const maxProfileBytes = 64 * 1024

/**
 * Says what is wrong with a profile (nested deeper than 32, over 64 KiB as JSON, or holding something JSON cannot
 * carry), or undefined when it can be stored; walks it without recursion, so no depth can overflow the stack.
 */
export const profileProblem = (profile: unknown): string | undefined => {
  const pending: Array<{ readonly value: unknown; readonly depth: number }> = [{ value: profile, depth: 1 }]
  let nodes = 0
  while (pending.length > 0) {
    const { depth, value } = pending.pop()!
    if (++nodes > maxProfileBytes) return `profile is larger than ${maxProfileBytes} bytes as JSON`
    if (value === null || typeof value === "string" || typeof value === "boolean") continue
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return "profile holds a number JSON cannot carry"
      continue
    }
    if (typeof value !== "object") return `profile holds a ${typeof value}, which JSON cannot carry`
    if (depth > maxProfileDepth) return `profile nests deeper than ${maxProfileDepth} levels`
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      pending.push({ value: child, depth: depth + 1 })
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(profile), "utf8")
  return bytes > maxProfileBytes ? `profile is ${bytes} bytes as JSON; the limit is ${maxProfileBytes}` : undefined
}
