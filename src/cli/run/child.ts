import { Effect, Option } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { type EndingSignal, signalCode, type SignalTrap } from "./signals.js"

/** How the wrapped command ended. */
export type ChildEnd =
  | { readonly _tag: "Exited"; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly _tag: "NotStarted"; readonly code: number; readonly reason: string }
  | { readonly _tag: "Skipped" }

const notStarted = (command: string, error: NodeJS.ErrnoException): ChildEnd =>
  error.code === "ENOENT"
    ? { _tag: "NotStarted", code: 127, reason: `${command}: command not found` }
    : { _tag: "NotStarted", code: 126, reason: `${command}: cannot start it (${error.message})` }

/**
 * Runs argv (no shell) with inherited stdio, the wrapper staying its parent, and waits for it to end; the trap
 * forwards signals to it meanwhile. Skips the start when a signal already arrived.
 */
export const runChild = (argv: readonly [string, ...Array<string>], env: NodeJS.ProcessEnv, trap: SignalTrap) =>
  Effect.async<ChildEnd>((resume) => {
    if (Option.isSome(trap.received())) return resume(Effect.succeed({ _tag: "Skipped" }))
    const [command, ...args] = argv
    let settled = false
    const settle = (end: ChildEnd) => {
      if (settled) return
      settled = true
      trap.forwardTo(undefined)
      resume(Effect.succeed(end))
    }
    let child: ChildProcess
    try {
      child = spawn(command, args, { stdio: "inherit", env })
    } catch (error) {
      return settle(notStarted(command, error as NodeJS.ErrnoException))
    }
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined || error.syscall?.startsWith("spawn")) settle(notStarted(command, error))
    })
    child.once("exit", (code, signal) => settle({ _tag: "Exited", code, signal }))
    if (child.pid !== undefined) trap.forwardTo(child)
  })

/**
 * The wrapper's exit status: 128+signal when it was signalled, else the child's code (or 128+the signal that killed
 * it).
 */
export const exitStatus = (end: ChildEnd, signal: Option.Option<EndingSignal>): number => {
  if (Option.isSome(signal)) return signalCode(signal.value)
  switch (end._tag) {
    case "NotStarted":
      return end.code
    case "Skipped":
      return 1
    case "Exited":
      return end.code ?? (end.signal === null ? 1 : signalCode(end.signal))
  }
}
