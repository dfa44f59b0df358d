import { Cause, type Context, Effect, ExecutionStrategy, Exit, Layer, Runtime, Scope } from "effect"
import { type BusServices, BusLive } from "../layers/AppLive.js"
import { registerBusTools, type ToolRunner } from "./busTools.js"
import { serveStdio } from "./stdioServer.js"
import { failure, fromExit } from "./toolResult.js"

const instructions =
  "helioy-bus lets coding agents on this machine find each other and exchange messages. " +
  "Call whoami to see your id, list_agents to see who is here, send_message to write to an agent id, " +
  "'role:<type>' or '*', and get_messages to read your mail when you are told you have some."

/**
 * Builds the live services once, in a child of `scope`; a failed attempt releases what it opened and is retried
 * by the next call, so a bus dir fixed or a lock released later is picked up without restarting the server.
 */
const servicesOnDemand = (scope: Scope.Scope) =>
  Effect.gen(function*() {
    const lock = yield* Effect.makeSemaphore(1)
    let services: Context.Context<BusServices> | undefined
    const attempt = Effect.gen(function*() {
      const child = yield* Scope.fork(scope, ExecutionStrategy.sequential)
      return yield* Layer.buildWithScope(BusLive, child).pipe(
        Effect.tap((context) => Effect.sync(() => (services = context))),
        Effect.tapError((error) =>
          Effect.zipRight(Scope.close(child, Exit.void), Effect.logError(`helioy-bus services unavailable: ${error.message}`))
        )
      )
    })
    return lock.withPermits(1)(Effect.suspend(() => services ? Effect.succeed(services) : attempt))
  })

/**
 * Runs the bus MCP server on stdio with the live services. When they cannot be built (unsafe bus dir, registry
 * locked or unreadable) the server still answers, and every tool reports that error and what to do.
 */
export const serveBus = (version: string) =>
  Effect.scoped(Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const services = yield* servicesOnDemand(yield* Effect.scope)
    yield* Effect.forkScoped(Effect.ignore(services))
    const run: ToolRunner = (program) =>
      Runtime.runPromiseExit(runtime)(Effect.either(services)).then((built) => {
        if (Exit.isFailure(built)) return failure("helioy-bus could not start its services; see the server's stderr log.")
        if (built.value._tag === "Left") return fromExit(Exit.fail(built.value.left), () => undefined)
        return Runtime.runPromiseExit(runtime)(Effect.provide(program, built.value.right)).then((exit) =>
          fromExit(exit, (cause) => Runtime.runSync(runtime)(Effect.logError("tool failed", Cause.pretty(cause))))
        )
      }).catch((error: unknown) => fromExit(Exit.die(error), () => undefined))
    yield* serveStdio({ name: "helioy-bus", version, instructions }, (server) => registerBusTools(server, run))
  }))
