import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { formatMicros, formatMillis } from "../../src/domain/Timestamp.js"

const referenceShape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/

// Every instant whose microseconds are a safe integer (years 1700..2255), before and after 1970.
const micros = FastCheck.integer({ min: Date.UTC(1700, 0, 1) * 1000, max: Number.MAX_SAFE_INTEGER })

describe("formatMicros", () => {
  it("formats like Python's datetime.now(timezone.utc).isoformat()", () => {
    expect(formatMicros(1773662400123456)).toBe("2026-03-16T12:00:00.123456+00:00")
    expect(formatMicros(0)).toBe("1970-01-01T00:00:00.000000+00:00")
    expect(formatMicros(7)).toBe("1970-01-01T00:00:00.000007+00:00")
  })

  it("formats times before 1970 with a positive fraction", () => {
    expect(formatMicros(-1)).toBe("1969-12-31T23:59:59.999999+00:00")
    expect(formatMillis(-29_850)).toBe("1969-12-31T23:59:30.150000+00:00")
  })

  it("formats milliseconds as the same instant in microseconds", () => {
    expect(formatMillis(1773662400123)).toBe("2026-03-16T12:00:00.123000+00:00")
  })

  it.prop(
    "always has the shape YYYY-MM-DDTHH:MM:SS.ffffff+00:00 and names the same instant",
    [micros],
    ([value]) => {
      const text = formatMicros(value)
      expect(text).toMatch(referenceShape)
      expect(Date.parse(text.replace(/(\.\d{3})\d{3}/, "$1"))).toBe(Math.floor(value / 1000))
    },
    { fastCheck: { numRuns: 500 } }
  )

  it.prop(
    "sorts as text in time order",
    [micros, micros],
    ([a, b]) => {
      const [early, late] = a <= b ? [a, b] : [b, a]
      if (early === late) expect(formatMicros(early)).toBe(formatMicros(late))
      else expect(formatMicros(early) < formatMicros(late)).toBe(true)
    },
    { fastCheck: { numRuns: 500 } }
  )
})
