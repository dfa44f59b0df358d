/** The services of an MCP server, built on demand, and the runner that gives them to each tool's program. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { Cause, type Context, Effect, ExecutionStrategy, Exit, Layer, Runtime, Scope } from "effect"
import { failure, fromExit } from "./toolResult.js"

/** Runs a program on the server's services and turns its Exit into a tool result; never rejects. */
export type ProgramRunner<R> = <A, E>(program: Effect.Effect<A, E, R>) => Promise<CallToolResult>

/**
 * Builds `layer` once, in a child of `scope`; a failed attempt releases what it opened and is retried by the next
 * call, so a bus dir fixed or a lock released later is picked up without restarting the server.
 */
const servicesOnDemand = <R, E extends { readonly message: string }>(
  layer: Layer.Layer<R, E>,
  name: string,
  scope: Scope.Scope
) =>
  Effect.gen(function*() {
    const lock = yield* Effect.makeSemaphore(1)
    let services: Context.Context<R> | undefined
    const attempt = Effect.gen(function*() {
      const child = yield* Scope.fork(scope, ExecutionStrategy.sequential)
      return yield* Layer.buildWithScope(layer, child).pipe(
        Effect.tap((context) => Effect.sync(() => (services = context))),
        Effect.tapError((error) =>
          Effect.zipRight(
            Scope.close(child, Exit.void),
            Effect.logError(`${name} services unavailable: ${error.message}`)
          )
        )
      )
    })
    return lock.withPermits(1)(Effect.suspend(() => services ? Effect.succeed(services) : attempt))
  })

/**
 * A runner over `layer`, built in the background at once and rebuilt on demand while it fails (every tool then
 * reports that error and what to do); lives as long as the current scope.
 */
export const makeProgramRunner = <R, E extends { readonly message: string }>(layer: Layer.Layer<R, E>, name: string) =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const services = yield* servicesOnDemand(layer, name, yield* Effect.scope)
    yield* Effect.forkScoped(Effect.ignore(services))
    const run: ProgramRunner<R> = (program) =>
      Runtime.runPromiseExit(runtime)(Effect.either(services)).then((built) => {
        if (Exit.isFailure(built)) return failure(`${name} could not start its services; see the server's stderr log.`)
        if (built.value._tag === "Left") return fromExit(Exit.fail(built.value.left), () => undefined)
        return Runtime.runPromiseExit(runtime)(Effect.provide(program, built.value.right)).then((exit) =>
          fromExit(exit, (cause) => Runtime.runSync(runtime)(Effect.logError("tool failed", Cause.pretty(cause))))
        )
      }).catch((error: unknown) => fromExit(Exit.die(error), () => undefined))
    return run
  })
