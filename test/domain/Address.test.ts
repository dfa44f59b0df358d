import { describe, expect, it } from "@effect/vitest"
import { parseAddress } from "../../src/domain/Address.js"

describe("parseAddress", () => {
  it("splits on ';', trims the parts and drops empty ones", () => {
    expect(parseAddress(" a:general ;; role:backend ; * ;")).toEqual([
      { _tag: "Agent", raw: "a:general", agentId: "a:general" },
      { _tag: "Role", raw: "role:backend", role: "backend" },
      { _tag: "Broadcast", raw: "*" }
    ])
  })

  it("gives no parts for an empty or blank address", () => {
    expect(parseAddress("")).toEqual([])
    expect(parseAddress(" ; ;  ")).toEqual([])
  })

  it("keeps colons of a role's type", () => {
    expect(parseAddress("role:voltagent-lang:rust-engineer")).toEqual([
      { _tag: "Role", raw: "role:voltagent-lang:rust-engineer", role: "voltagent-lang:rust-engineer" }
    ])
  })

  it("tags a role without a type as invalid, saying what is missing", () => {
    const [part] = parseAddress("role:")
    expect(part).toMatchObject({ _tag: "Invalid", raw: "role:", reason: expect.stringContaining("needs a type") })
  })

  it("tags an id that could escape the inbox directory as invalid instead of failing", () => {
    const parts = parseAddress("../etc;good:id")
    expect(parts[0]).toMatchObject({ _tag: "Invalid", raw: "../etc" })
    expect(parts[1]).toEqual({ _tag: "Agent", raw: "good:id", agentId: "good:id" })
  })

  it("reads a takeover id with a pane suffix as one agent", () => {
    expect(parseAddress("proj:general:6:3.1:%50")).toEqual([
      { _tag: "Agent", raw: "proj:general:6:3.1:%50", agentId: "proj:general:6:3.1:%50" }
    ])
  })
})
