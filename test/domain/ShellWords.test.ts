import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { shellWord, shellWords } from "../../src/domain/ShellWords.js"

describe("shell words", () => {
  it("leaves plain words as they are and single-quotes the others", () => {
    expect(shellWord("/usr/bin/node")).toBe("/usr/bin/node")
    expect(shellWord("/home/me/helioy bus/bin/helioy-bus.js")).toBe("'/home/me/helioy bus/bin/helioy-bus.js'")
    expect(shellWord("it's $HOME #1")).toBe("'it'\\''s $HOME #1'")
    expect(shellWord("")).toBe("''")
  })

  it("splits a command line at spaces outside quotes, removing the quotes", () => {
    expect(shellWords("node \"${CLAUDE_PLUGIN_ROOT}/bin/helioy-bus.js\" hook stop")).toEqual([
      "node",
      "${CLAUDE_PLUGIN_ROOT}/bin/helioy-bus.js",
      "hook",
      "stop"
    ])
  })

  it.prop(
    "splitting a line of quoted words gives the words back",
    [FastCheck.array(FastCheck.string({ unit: "grapheme" }), { minLength: 1, maxLength: 5 })],
    ([words]) => {
      expect(shellWords(words.map(shellWord).join(" "))).toEqual(words)
    },
    { fastCheck: { numRuns: 200 } }
  )
})
