import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { runBusCli } from "./busCommands.js"
import { logLevel, StderrLogger } from "./logging.js"
import { shieldLaunchArgs } from "./runCommand.js"

runBusCli(shieldLaunchArgs(process.argv)).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, StderrLogger, logLevel)),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
