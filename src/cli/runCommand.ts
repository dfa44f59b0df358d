import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import { constants } from "node:os"
import { Args, Command } from "@effect/cli"
import { Cause, Console, Effect, Exit, Layer, Option } from "effect"
import { UnknownRuntime } from "../domain/errors.js"
import type { RuntimeAdapter } from "../domain/RuntimeAdapter.js"
import { BusLive } from "../layers/AppLive.js"
import * as RuntimesLive from "../layers/RuntimesLive.js"
import { joinSession, type JoinInput, leaveSession } from "../programs/session.js"
import { Runtimes } from "../services/Runtimes.js"

/** The signals that end a wrapped session (tmux closes a window with SIGHUP). */
const endingSignals = ["SIGHUP", "SIGTERM", "SIGINT"] as const
type EndingSignal = (typeof endingSignals)[number]

const signalCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0)

/** How the wrapped command ended. */
type ChildEnd =
  | { readonly _tag: "Exited"; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly _tag: "NotStarted"; readonly code: number; readonly reason: string }
  | { readonly _tag: "Skipped" }

/** The wrapper's own signal handling: remembers the first ending signal and forwards every one to the child. */
interface SignalTrap {
  readonly received: () => Option.Option<EndingSignal>
  readonly forwardTo: (child: ChildProcess | undefined) => void
}

const report = (text: string) => Console.error(`helioy-bus run: ${text}`)

const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && failure.value instanceof Error) return failure.value.message
  return Cause.pretty(cause)
}

/**
 * Traps SIGHUP, SIGTERM and SIGINT for the life of the scope (so a signal during registration or while the
 * child runs never kills the wrapper before it leaves the bus), and ignores write errors on a stderr whose
 * terminal went away.
 */
const trapSignals = Effect.acquireRelease(
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

/** The adapter of a runtime id; fails with UnknownRuntime listing the known ids. */
const lookupRuntime = (id: string) =>
  Effect.flatMap(Runtimes, (runtimes) =>
    Option.match(runtimes.get(id), {
      onNone: () => Effect.fail(new UnknownRuntime({ runtime: id, known: runtimes.all.map((adapter) => adapter.id) })),
      onSome: Effect.succeed<RuntimeAdapter>
    }))

/** The launch directory: `$PWD` when it names the working directory (keeps the user's symlinked path), else the real one. */
const launchDir = (): string => {
  const physical = process.cwd()
  const logical = process.env.PWD
  if (logical === undefined || logical === "") return physical
  try {
    return fs.realpathSync(logical) === fs.realpathSync(physical) ? logical : physical
  } catch {
    return physical
  }
}

/** The child's environment: ours, plus the runtime's pid variable (the wrapper's pid), HELIOY_RUNTIME and HELIOY_BUS_CWD. */
const launchEnv = (adapter: RuntimeAdapter, cwd: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...(adapter.pidEnv === undefined ? {} : { [adapter.pidEnv]: String(process.pid) }),
  HELIOY_RUNTIME: adapter.id,
  HELIOY_BUS_CWD: cwd
})

/**
 * Joins the bus for the life of the scope and leaves it when the scope closes. Never fails: an unusable bus
 * (unsafe dir, locked registry, bad HELIOY_AGENT_ID) is reported on stderr and the runtime starts regardless.
 */
const busSession = (input: JoinInput) =>
  Effect.gen(function*() {
    const built = yield* Effect.exit(Layer.build(BusLive))
    if (Exit.isFailure(built)) {
      return yield* report(`not joining the bus (${describeCause(built.cause)}); starting the runtime anyway`)
    }
    const services = built.value
    yield* Effect.acquireRelease(
      joinSession(input).pipe(
        Effect.provide(services),
        Effect.catchAllCause((cause) => report(`could not join the bus (${describeCause(cause)}); starting the runtime anyway`))
      ),
      () =>
        leaveSession(input.runtimePid, input.sessionId).pipe(
          Effect.provide(services),
          Effect.catchAllCause((cause) => report(`could not leave the bus (${describeCause(cause)})`))
        )
    )
  })

const notStarted = (command: string, error: NodeJS.ErrnoException): ChildEnd =>
  error.code === "ENOENT"
    ? { _tag: "NotStarted", code: 127, reason: `${command}: command not found` }
    : { _tag: "NotStarted", code: 126, reason: `${command}: cannot start it (${error.message})` }

/**
 * Runs argv (no shell) with inherited stdio, the wrapper staying its parent, and waits for it to end; the trap
 * forwards signals to it meanwhile. Skips the start when a signal already arrived.
 */
const runChild = (argv: readonly [string, ...Array<string>], env: NodeJS.ProcessEnv, trap: SignalTrap) =>
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

/** The wrapper's exit status: 128+signal when it was signalled, else the child's code (or 128+the signal that killed it). */
const exitStatus = (end: ChildEnd, signal: Option.Option<EndingSignal>): number => {
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

/**
 * Runs a runtime session on the bus: registers the wrapper's pid as the runtime, runs the command as a child,
 * and leaves the bus on every path; succeeds with the exit status to use, fails only with UnknownRuntime.
 */
const launch = (runtimeId: string, argv: readonly [string, ...Array<string>]) =>
  Effect.scoped(Effect.gen(function*() {
    const adapter = yield* lookupRuntime(runtimeId)
    const trap = yield* trapSignals
    const cwd = launchDir()
    const sessionId = process.env.HELIOY_SESSION_ID ?? ""
    yield* busSession({
      runtime: adapter.id,
      runtimePid: process.pid,
      sessionId,
      cwd,
      paneId: process.env.TMUX_PANE ?? "",
      agentId: process.env.HELIOY_AGENT_ID ?? "",
      agentType: process.env.HELIOY_BUS_AGENT_TYPE || "general"
    })
    const end = yield* runChild(argv, launchEnv(adapter, cwd), trap)
    if (end._tag === "NotStarted") yield* report(end.reason)
    return exitStatus(end, trap.received())
  }))

/** Prefixed to every word of the runtime's command line before parsing, so that @effect/cli's own options never match in it. */
const shieldMark = "\u0000"

/**
 * Shields the command line of `helioy-bus run <runtime> -- <command…>` from the CLI parser, which otherwise takes
 * `--help`, `-h`, `--version`, `--wizard`, `--completions` and `--log-level` as its own even after `--`: every word
 * after that `--` is marked, and `run` removes the mark. Any other argv is returned unchanged. Never fails.
 */
export const shieldLaunchArgs = (argv: ReadonlyArray<string>): Array<string> => {
  if (argv[2] !== "run") return [...argv]
  const separator = argv.indexOf("--", 3)
  if (separator < 0) return [...argv]
  return [...argv.slice(0, separator + 1), ...argv.slice(separator + 1).map((word) => shieldMark + word)]
}

const unshield = (word: string) => (word.startsWith(shieldMark) ? word.slice(shieldMark.length) : word)

const runtimeArg = Args.text({ name: "runtime" }).pipe(
  Args.withDescription("The runtime id: claude, claude-opus, codex, grok, grok-fast or generic.")
)

const commandArgs = Args.text({ name: "command" }).pipe(
  Args.atLeast(1),
  Args.withDescription("The runtime's command line, after `--` (run directly, no shell).")
)

/**
 * `helioy-bus run <runtime> -- <command…>`: joins the bus as that runtime, runs the command as a child with the
 * runtime's pid variable, HELIOY_RUNTIME and HELIOY_BUS_CWD set, leaves the bus when it ends or on
 * SIGHUP/SIGTERM/SIGINT (forwarded to it), and exits with its status (128+signal when signalled). Exits 2 for an
 * unknown runtime, 127 for a command not found; a bus it cannot join is reported on stderr and never blocks the runtime.
 */
export const runCommand = Command.make("run", { runtime: runtimeArg, command: commandArgs }, ({ command, runtime }) =>
  launch(runtime, [unshield(command[0]), ...command.slice(1).map(unshield)]).pipe(
    Effect.catchTag("UnknownRuntime", (error) =>
      Effect.as(report(`unknown runtime '${error.runtime}'; known runtimes: ${error.known.join(", ")}`), 2)),
    Effect.provide(RuntimesLive.layer),
    Effect.flatMap((status) => Effect.sync(() => process.exit(status))),
    // The runtime's lifetime, not the CLI's interrupt-on-SIGINT/SIGTERM, decides when the wrapper ends.
    Effect.uninterruptible
  )).pipe(
    Command.withDescription(
      "Launch wrapper: register on the bus, run the runtime as a child, unregister when it exits or on SIGHUP/SIGTERM/SIGINT."
    )
  )
