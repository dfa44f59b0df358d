import { dirname, join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"
import { AgentId, canonicalAgentId, validateAgentId } from "../../src/domain/AgentId.js"

const trickyText = FastCheck.stringOf(
  FastCheck.constantFrom("a", "Z", "0", ".", "/", "\\", ";", ":", "%", " ", "\t", "\n", "\u0000", "\u007f", "-", "é"),
  { maxLength: 24 }
)

describe("validateAgentId", () => {
  it.each([
    ["a slash", "proj/general"],
    ["a backslash", "proj\\general"],
    ["a semicolon", "a;b"],
    ["a NUL", "a\u0000b"],
    ["a newline", "a\nb"],
    ["a tab", "a\tb"],
    ["a DEL", "a\u007fb"],
    ["a leading dot", ".hidden"],
    ["'..'", ".."],
    ["an empty id", ""],
    ["an id over 200 characters", "a".repeat(201)],
    ["a leading space", " proj:general"],
    ["a trailing space", "proj:general "]
  ])("rejects %s", (_, id) => {
    expect(Either.isLeft(validateAgentId(id))).toBe(true)
    expect(Schema.is(AgentId)(id)).toBe(false)
  })

  it.each([
    "proj:general:6:3.1:%50",
    "voltagent-lang:rust-engineer",
    "myproject:general",
    "a.b",
    "x@host",
    "a".repeat(200)
  ])("accepts %s", (id) => {
    expect(validateAgentId(id)).toEqual(Either.right(id))
    expect(Schema.is(AgentId)(id)).toBe(true)
  })

  it("says which rule an id broke", () => {
    expect(validateAgentId("a/b")).toEqual(Either.left(expect.stringContaining("'/'")))
    expect(validateAgentId(".x")).toEqual(Either.left(expect.stringContaining("must not start with '.'")))
    expect(validateAgentId("a".repeat(201))).toEqual(Either.left(expect.stringContaining("limit is 200")))
  })

  it.prop(
    "an accepted id always names a direct child of the inbox directory",
    [trickyText],
    ([id]) => {
      if (Either.isRight(validateAgentId(id))) {
        expect(dirname(join("/bus/inbox", id))).toBe("/bus/inbox")
      }
    },
    { fastCheck: { numRuns: 500 } }
  )
})

describe("canonicalAgentId", () => {
  it("names an agent after the basename of its directory and its type", () => {
    expect(canonicalAgentId("/tmp/myproject")).toBe("myproject:general")
    expect(canonicalAgentId("/tmp/myproject", "general", "7:1.2")).toBe("myproject:general:7:1.2")
  })

  it("ignores trailing slashes", () => {
    expect(canonicalAgentId("/tmp/myproject/")).toBe("myproject:general")
    expect(canonicalAgentId("/tmp/myproject//", "general", "7:1.2")).toBe("myproject:general:7:1.2")
  })

  it("calls a directory without a basename 'unknown'", () => {
    expect(canonicalAgentId("")).toBe("unknown:general")
    expect(canonicalAgentId("/")).toBe("unknown:general")
  })

  it("uses 'general' for an empty type and keeps colons inside a type", () => {
    expect(canonicalAgentId("/tmp/myproject", "")).toBe("myproject:general")
    expect(canonicalAgentId("/tmp/myproject", "voltagent-lang:rust-engineer")).toBe(
      "myproject:voltagent-lang:rust-engineer"
    )
  })

  it("sanitises characters an id may not hold in the basename", () => {
    expect(canonicalAgentId("/tmp/my;pro\\ject")).toBe("my-pro-ject:general")
    expect(canonicalAgentId("/tmp/a\nb")).toBe("a-b:general")
    expect(canonicalAgentId("/tmp/.hidden")).toBe("hidden:general")
    expect(canonicalAgentId("/tmp/..")).toBe("unknown:general")
  })

  it("never starts an id with a dot, even behind white space", () => {
    expect(canonicalAgentId("/tmp/ .hidden")).toBe("hidden:general")
  })

  it.prop(
    "always yields an id that validation accepts",
    [trickyText, trickyText, trickyText],
    ([pwd, agentType, target]) => {
      expect(validateAgentId(canonicalAgentId(pwd, agentType, target))).toEqual(Either.right(expect.any(String)))
    },
    { fastCheck: { numRuns: 1000 } }
  )
})
