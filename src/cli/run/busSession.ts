import { Cause, Console, Context, Effect, Exit, Layer, Option, type Scope } from "effect"
import type { AgentRow } from "../../domain/AgentRecord.js"
import { BusOn, type BusServices } from "../../layers/AppLive.js"
import * as BusConfigLive from "../../layers/BusConfigLive.js"
import { type JoinInput, joinSession, leaveSession } from "../../programs/session.js"
import type { Runtimes } from "../../services/Runtimes.js"
import type { SessionEnv } from "../../services/SessionEnv.js"

/** Prints one line about the wrapper on stderr. */
export const report = (text: string) => Console.error(`helioy-bus run: ${text}`)

/** The first line of what went wrong, for a person. */
export const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && failure.value instanceof Error) return failure.value.message
  return Cause.pretty(cause)
}

/** The bus as the wrapper holds it: its services, and the agent it registered. */
export interface WrapperBus {
  readonly services: Context.Context<BusServices>
  readonly agent: AgentRow
}

/**
 * Joins the bus for the life of the scope (on the environment the wrapper already read) and leaves it when the scope
 * closes; succeeds with the services and the agent, or none. Never fails: an unusable bus (unsafe dir, locked registry,
 * bad HELIOY_AGENT_ID) is reported on
 * stderr and the runtime starts regardless.
 */
export const busSession = (
  input: JoinInput
): Effect.Effect<Option.Option<WrapperBus>, never, Scope.Scope | Runtimes | SessionEnv> =>
  Effect.gen(function*() {
    const env = Layer.succeedContext(yield* Effect.context<Runtimes | SessionEnv>())
    const built = yield* Effect.exit(
      Layer.build(BusOn.pipe(Layer.provideMerge(BusConfigLive.layerFromEnv()), Layer.provideMerge(env)))
    )
    if (Exit.isFailure(built)) {
      yield* report(`not joining the bus (${describeCause(built.cause)}); starting the runtime anyway`)
      return Option.none()
    }
    const services = built.value
    const agent = yield* Effect.acquireRelease(
      joinSession(input).pipe(
        Effect.provide(services),
        Effect.map(Option.some),
        Effect.catchAllCause((cause) =>
          Effect.as(
            report(`could not join the bus (${describeCause(cause)}); starting the runtime anyway`),
            Option.none<AgentRow>()
          )
        )
      ),
      () =>
        leaveSession(input.runtimePid, input.sessionId).pipe(
          Effect.provide(services),
          Effect.catchAllCause((cause) => report(`could not leave the bus (${describeCause(cause)})`))
        )
    )
    return Option.map(agent, (row) => ({ services, agent: row }))
  })
