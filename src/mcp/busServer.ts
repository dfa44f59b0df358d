import { Cause, Context, Effect, Either, Exit, Layer, Runtime } from "effect"
import { type BusServices, BusLive } from "../layers/AppLive.js"
import { registerBusTools, type ToolRunner } from "./busTools.js"
import { serveStdio } from "./stdioServer.js"
import { failure, fromExit } from "./toolResult.js"

const instructions =
  "helioy-bus lets coding agents on this machine find each other and exchange messages. " +
  "Call whoami to see your id, list_agents to see who is here, send_message to write to an agent id, " +
  "'role:<type>' or '*', and get_messages to read your mail when you are told you have some."

/**
 * Runs the bus MCP server on stdio with the live services, built once. If they cannot be built (unsafe bus dir,
 * unreadable registry) the server still starts and every tool answers with that error and what to do.
 */
export const serveBus = (version: string) =>
  Effect.scoped(Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const built = yield* Effect.either(Layer.build(BusLive))
    if (Either.isLeft(built)) {
      yield* Effect.logError(`helioy-bus cannot start its services: ${built.left.message}`)
    }
    const run: ToolRunner = (program) =>
      Either.match(built, {
        onLeft: (error) => Promise.resolve(failure(error.message)),
        onRight: (context: Context.Context<BusServices>) =>
          Runtime.runPromiseExit(runtime)(Effect.provide(program, context)).then((exit) =>
            fromExit(exit, (cause) => Runtime.runSync(runtime)(Effect.logError("tool failed", Cause.pretty(cause))))
          ).catch((error: unknown) => fromExit(Exit.die(error), () => undefined))
      })
    yield* serveStdio({ name: "helioy-bus", version, instructions }, (server) => registerBusTools(server, run))
  }))
