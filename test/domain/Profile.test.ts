import { describe, expect, it } from "vitest"
import { maxProfileBytes, maxProfileDepth, profileProblem } from "../../src/domain/Profile.js"

const nested = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

describe("profileProblem", () => {
  it("accepts an ordinary profile", () => {
    expect(profileProblem({ owns: ["api"], consumes: [], capabilities: { rust: true, level: 3 }, domain: null }))
      .toBeUndefined()
  })

  it("accepts nesting up to the limit and refuses one level more", () => {
    expect(profileProblem(nested(maxProfileDepth - 1))).toBeUndefined()
    expect(profileProblem(nested(maxProfileDepth + 1))).toMatch(/deeper than 32 levels/)
  })

  it("refuses 50,000 levels without overflowing the stack", () => {
    expect(profileProblem(nested(50_000))).toMatch(/deeper than 32 levels/)
  })

  it("refuses a profile over 64 KiB as JSON, however flat", () => {
    expect(profileProblem({ text: "x".repeat(maxProfileBytes) })).toMatch(/bytes as JSON; the limit is 65536/)
    expect(profileProblem(Array.from({ length: 100_000 }, () => 0))).toMatch(/larger than 65536 bytes/)
  })
})
