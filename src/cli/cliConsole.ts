import { Config, Console, Effect, Layer } from "effect"

// CSI sequences (colours, bold, ...): what @effect/cli's help and error printing writes.
const ansiSequence = /\u001b\[[0-?]*[ -/]*[@-~]/g

const plain = (arg: unknown) => typeof arg === "string" ? arg.replace(ansiSequence, "") : arg

/** Whether a stream gets colour: it is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export const colourFor = (isTTY: boolean | undefined, noColor: string): boolean => isTTY === true && noColor === ""

/**
 * The command line's console: ANSI escapes stripped from what goes to a stream that gets no colour (see `colourFor`),
 * and no trailing blank line after a message on stderr (a usage error is one line).
 */
export const makeCliConsole = (
  base: Console.Console,
  colour: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => {
  const forStdout = (args: ReadonlyArray<unknown>) => colour.stdout ? args : args.map(plain)
  const forStderr = (args: ReadonlyArray<unknown>) =>
    (colour.stderr ? args : args.map(plain)).map((arg) => typeof arg === "string" ? arg.replace(/\n+$/, "") : arg)
  return {
    ...base,
    log: (...args) => base.log(...forStdout(args)),
    info: (...args) => base.info(...forStdout(args)),
    error: (...args) => base.error(...forStderr(args)),
    warn: (...args) => base.warn(...forStderr(args))
  }
}

/** The CLI console (over the default one) for this process's stdout and stderr, with NO_COLOR read through Config. */
export const CliConsole = Layer.unwrapEffect(
  Effect.gen(function*() {
    const noColor = yield* Config.string("NO_COLOR").pipe(Config.withDefault(""))
    const colour = {
      stdout: colourFor(process.stdout.isTTY, noColor),
      stderr: colourFor(process.stderr.isTTY, noColor)
    }
    return Console.setConsole(makeCliConsole(yield* Effect.console, colour))
  })
)
