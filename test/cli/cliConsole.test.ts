/** The command line's console: colour only for a terminal without NO_COLOR; stderr messages end without blank lines. */
import { describe, expect, it } from "@effect/vitest"
import { Console, Effect } from "effect"
import { colourFor, makeCliConsole } from "../../src/cli/cliConsole.js"

/** The current console, recording what reaches it per stream instead of writing. */
const recording = Effect.map(Effect.console, (real) => {
  const written: Array<[string, ReadonlyArray<unknown>]> = []
  const record = (stream: string) => (...args: ReadonlyArray<unknown>) =>
    Effect.sync(() => void written.push([stream, args]))
  const base: Console.Console = {
    ...real,
    log: record("out"),
    info: record("out"),
    error: record("err"),
    warn: record("err")
  }
  return { base, written }
})

const bold = "\u001b[0;1mUSAGE\u001b[0m"

describe("CLI console", () => {
  it("colour is on only for a terminal with NO_COLOR unset or empty", () => {
    expect(colourFor(true, "")).toBe(true)
    expect(colourFor(true, "1")).toBe(false)
    expect(colourFor(false, "")).toBe(false)
    expect(colourFor(undefined, "")).toBe(false)
  })

  it.effect("without colour, escapes are stripped from stdout and stderr; with colour they stay", () =>
    Effect.gen(function*() {
      const { base, written } = yield* recording
      const plain = makeCliConsole(base, { stdout: false, stderr: false })
      yield* plain.log(bold, 3)
      yield* plain.error(`${bold}\n\n`)
      const coloured = makeCliConsole(base, { stdout: true, stderr: true })
      yield* coloured.log(bold)
      yield* coloured.error(`${bold}\n`)
      expect(written).toEqual([["out", ["USAGE", 3]], ["err", ["USAGE"]], ["out", [bold]], ["err", [bold]]])
    }))
})
