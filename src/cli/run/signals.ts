import { Effect, Option } from "effect"
import type { ChildProcess } from "node:child_process"
import { constants } from "node:os"

/** The signals that end a wrapped session (tmux closes a window with SIGHUP). */
export const endingSignals = ["SIGHUP", "SIGTERM", "SIGINT"] as const
/** One of the signals that end a wrapped session. */
export type EndingSignal = (typeof endingSignals)[number]

/** The exit status of a process ended by `signal` (128 + its number). */
export const signalCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0)

/** The wrapper's own signal handling: remembers the first ending signal and forwards every one to the child. */
export interface SignalTrap {
  readonly received: () => Option.Option<EndingSignal>
  readonly forwardTo: (child: ChildProcess | undefined) => void
}

/**
 * Traps SIGHUP, SIGTERM and SIGINT for the life of the scope (so a signal during registration or while the
 * child runs never kills the wrapper before it leaves the bus), and ignores write errors on a stderr whose
 * terminal went away.
 */
export const trapSignals = Effect.acquireRelease(
  Effect.sync(() => {
    let first: EndingSignal | undefined
    let child: ChildProcess | undefined
    const forward = (signal: EndingSignal) => {
      try {
        if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal)
      } catch {
        // the child is gone already
      }
    }
    const handlers = endingSignals.map((signal) => {
      const handler = () => {
        first ??= signal
        forward(signal)
      }
      process.on(signal, handler)
      return [signal, handler] as const
    })
    const ignoreStderrError = () => {}
    process.stderr.on("error", ignoreStderrError)
    const trap: SignalTrap = {
      received: () => Option.fromNullable(first),
      forwardTo: (target) => {
        child = target
        if (first !== undefined) forward(first)
      }
    }
    return { trap, handlers, ignoreStderrError }
  }),
  ({ handlers, ignoreStderrError }) =>
    Effect.sync(() => {
      for (const [signal, handler] of handlers) process.off(signal, handler)
      process.stderr.off("error", ignoreStderrError)
    })
).pipe(Effect.map(({ trap }) => trap))
