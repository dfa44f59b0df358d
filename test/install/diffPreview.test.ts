import { describe, expect, it } from "@effect/vitest"
import { diffPreview } from "../../src/install/diffPreview.js"

describe("diffPreview", () => {
  it("is empty for equal texts", () => {
    expect(diffPreview("a\nb\n", "a\nb\n")).toBe("")
  })

  it("marks removed and added lines, with context and elided runs", () => {
    const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ""].join("\n")
    const after = ["1", "2", "3", "4", "5", "six", "7", "8", "9", "10", ""].join("\n")
    expect(diffPreview(before, after, 1).split("\n")).toEqual([
      "  ...",
      "  5",
      "- 6",
      "+ six",
      "  7",
      "  ...",
      "  9",
      "+ 10"
    ])
  })

  it("elides the unchanged end of a file and says when a last line has no newline", () => {
    expect(diffPreview("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", 1).split("\n")).toEqual(["- a", "+ A", "  b", "  ..."])
    expect(diffPreview("a", "b", 1).split("\n")).toEqual([
      "- a",
      "  (No newline at end of file)",
      "+ b",
      "  (No newline at end of file)"
    ])
    expect(diffPreview("", "a\n")).toBe("+ a")
  })
})
