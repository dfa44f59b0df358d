import { type Command, ValidationError } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer } from "effect"
import { asksForBashCompletion, bashCompletion } from "./bashCompletion.js"
import { CliConsole } from "./cliConsole.js"
import { logLevel, StderrLogger } from "./logging.js"

/**
 * Runs a command line as this process: `--completions bash` prints the fixed bash script, a usage error (unknown
 * command, missing or bad argument; @effect/cli has already printed it) exits 2, and the console drops colour when
 * the output is not a terminal or NO_COLOR is set.
 */
export const runCliMain = <Name extends string, R, E, A, RunError>(
  command: Command.Command<Name, R, E, A>,
  name: string,
  run: (argv: ReadonlyArray<string>) => Effect.Effect<void, RunError, NodeContext.NodeContext>,
  argv: ReadonlyArray<string>
) =>
  (asksForBashCompletion(argv)
    ? Effect.flatMap(bashCompletion(command, name), (script) => Console.log(script))
    : run(argv)).pipe(
      Effect.catchIf(ValidationError.isValidationError, () =>
        Effect.sync(() => {
          process.exitCode = 2
        })),
      Effect.provide(Layer.mergeAll(NodeContext.layer, StderrLogger, logLevel, CliConsole)),
      NodeRuntime.runMain({ disablePrettyLogger: true })
    )
