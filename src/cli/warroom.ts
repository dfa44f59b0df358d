import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer } from "effect"
import { logLevel, StderrLogger } from "./logging.js"
import { runWarroomCli } from "./warroomCommands.js"

runWarroomCli(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, StderrLogger, logLevel)),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
