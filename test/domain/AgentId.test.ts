import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Option, Schema } from "effect"
import { dirname, join } from "node:path"
import { AgentId, canonicalAgentId, maxAgentIdBytes, validateAgentId, withIdSuffix } from "../../src/domain/AgentId.js"

const trickyText = FastCheck.stringOf(
  FastCheck.constantFrom(
    "a",
    "Z",
    "0",
    ".",
    "/",
    "\\",
    ";",
    ":",
    "%",
    " ",
    "\t",
    "\n",
    "\u0000",
    "\u007f",
    "-",
    "é",
    "\u009b",
    "\u202e",
    "日"
  ),
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
    ["a trailing space", "proj:general "],
    ["a C1 control character (U+009B)", "a\u009bb"],
    ["a C1 next-line (U+0085)", "a\u0085b"],
    ["a right-to-left override (U+202E)", "a\u202eb"],
    ["a zero-width joiner (U+200D)", "a\u200db"],
    ["a soft hyphen (U+00AD)", "a\u00adb"],
    ["a lone surrogate", "a\ud800b"],
    ["an id of 150 'é' (300 bytes)", "é".repeat(150)],
    ["an id of 201 bytes", "é".repeat(100) + "a"]
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
    "a".repeat(200),
    "é".repeat(100),
    "日本語:チーム"
  ])("accepts %s", (id) => {
    expect(validateAgentId(id)).toEqual(Either.right(id))
    expect(Schema.is(AgentId)(id)).toBe(true)
  })

  it("says which rule an id broke", () => {
    expect(validateAgentId("a/b")).toEqual(Either.left(expect.stringContaining("'/'")))
    expect(validateAgentId(".x")).toEqual(Either.left(expect.stringContaining("must not start with '.'")))
    expect(validateAgentId("a".repeat(201))).toEqual(Either.left(expect.stringContaining("limit is 200")))
    expect(validateAgentId("é".repeat(150))).toEqual(
      Either.left("agent id is 300 bytes in UTF-8; the limit is 200 bytes")
    )
    expect(validateAgentId("a\u009bb")).toEqual(Either.left(expect.stringContaining("U+009B")))
  })

  it("never repeats a refused id's invisible characters raw in its reason", () => {
    for (const id of ["a\u009b[2Jb", "x\u202ey", "q\u0085/"]) {
      const reason = Either.getLeft(validateAgentId(id))
      expect(reason._tag).toBe("Some")
      expect(Option.getOrThrow(reason)).not.toMatch(/[\u0080-\u009f\u202e]/)
    }
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

  it("cuts a long id to 200 bytes of UTF-8, never inside a character, and replaces control and format characters", () => {
    const id = canonicalAgentId(`/tmp/${"ü".repeat(150)}`)
    expect(Buffer.byteLength(id)).toBeLessThanOrEqual(maxAgentIdBytes)
    expect(id).toBe("ü".repeat(100))
    expect(canonicalAgentId("/tmp/a\u009bb\u202ec")).toBe("a-b-c:general")
  })

  it("a pane suffix shortens the id before it, so the whole stays within 200 bytes", () => {
    const suffixed = withIdSuffix(AgentId.make("é".repeat(100)), "%12")
    expect(Buffer.byteLength(suffixed)).toBeLessThanOrEqual(maxAgentIdBytes)
    expect(suffixed.endsWith(":%12")).toBe(true)
    expect(withIdSuffix(AgentId.make("proj:general"), "%3")).toBe("proj:general:%3")
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

  it.prop(
    "with a long directory or target, still yields an id that validation accepts",
    [FastCheck.string({ minLength: 150, maxLength: 300, unit: "grapheme" }), trickyText],
    ([pwd, target]) => {
      expect(validateAgentId(canonicalAgentId(pwd, "general", target))).toEqual(Either.right(expect.any(String)))
    },
    { fastCheck: { numRuns: 300 } }
  )
})
