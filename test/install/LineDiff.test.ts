import { describe, expect, it } from "@effect/vitest"
import { lineDiff } from "../../src/install/LineDiff.js"

describe("lineDiff", () => {
  it("is empty for equal texts", () => {
    expect(lineDiff("a\nb\n", "a\nb\n")).toBe("")
  })

  it("marks removed and added lines, with context and elided runs", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"].join("\n")
    const after = ["1", "2", "3", "4", "5", "six", "7", "8", "9", "10"].join("\n")
    expect(lineDiff(before, after, 1).split("\n")).toEqual(["  ...", "  5", "- 6", "+ six", "  7", "  ...", "  9", "+ 10"])
  })
})
