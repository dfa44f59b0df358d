import { Args, Command } from "@effect/cli"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import type { RuntimeAdapter } from "../domain/RuntimeAdapter.js"
import { UnknownRuntime } from "../errors/bus.js"
import { EnvLive } from "../layers/AppLive.js"
import { Runtimes } from "../services/Runtimes.js"
import { SessionEnv, type SessionEnvShape } from "../services/SessionEnv.js"
import { busSession, report } from "./run/busSession.js"
import { exitStatus, runChild } from "./run/child.js"
import { codexRelay } from "./run/codexRelay.js"
import { ownPaneWaker } from "./run/paneWake.js"
import { trapSignals } from "./run/signals.js"

/** The adapter of a runtime id; fails with UnknownRuntime listing the known ids. */
const lookupRuntime = (id: string) =>
  Effect.flatMap(Runtimes, (runtimes) =>
    Option.match(runtimes.get(id), {
      onNone: () => Effect.fail(new UnknownRuntime({ runtime: id, known: runtimes.all.map((adapter) => adapter.id) })),
      onSome: Effect.succeed<RuntimeAdapter>
    }))

/**
 * The launch directory: `$PWD` when it names the working directory (keeps the user's symlinked path), else the real
 * one.
 */
const launchDir = (hints: SessionEnvShape): string => {
  const physical = process.cwd()
  const logical = hints.logicalPwd
  if (logical === "") return physical
  try {
    return fs.realpathSync(logical) === fs.realpathSync(physical) ? logical : physical
  } catch {
    return physical
  }
}

/**
 * The child's environment: ours, plus the runtime's pid variable (the wrapper's pid), HELIOY_RUNTIME and
 * HELIOY_BUS_CWD.
 */
const launchEnv = (adapter: RuntimeAdapter, cwd: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...(adapter.pidEnvs[0] === undefined ? {} : { [adapter.pidEnvs[0]]: String(process.pid) }),
  HELIOY_RUNTIME: adapter.id,
  HELIOY_BUS_CWD: cwd
})

/**
 * Runs a runtime session on the bus: registers the wrapper's pid as the runtime, wakes it for new mail (a Codex TUI
 * through its daemon, else by typing into its own pane, when its runtime is woken so), runs the command as a child,
 * and leaves the bus on every path; succeeds with the exit status to use, fails only with UnknownRuntime.
 */
const launch = (runtimeId: string, argv: readonly [string, ...Array<string>]) =>
  Effect.scoped(Effect.gen(function*() {
    const adapter = yield* lookupRuntime(runtimeId)
    const trap = yield* trapSignals
    const hints = yield* SessionEnv
    const cwd = launchDir(hints)
    const bus = yield* busSession({
      runtime: adapter.id,
      runtimePid: process.pid,
      sessionId: hints.sessionId,
      cwd,
      paneId: hints.tmuxPane,
      agentId: hints.agentId,
      agentType: hints.agentType || "general"
    })
    const env = launchEnv(adapter, cwd)
    const relayed = Option.isSome(bus) && adapter.wake.wrapper === "daemon"
      ? yield* codexRelay(bus.value, argv, env, cwd)
      : Option.none()
    if (Option.isSome(bus) && Option.isNone(relayed) && adapter.wake.wrapper !== "none" && adapter.wake.tmuxNudge) {
      yield* ownPaneWaker(bus.value)
    }
    const command = Option.getOrElse(relayed, () => argv)
    const end = yield* runChild(command, env, trap)
    if (end._tag === "NotStarted") yield* report(end.reason)
    return exitStatus(end, trap.received())
  }))

/**
 * Prefixed to every word of the runtime's command line before parsing, so that @effect/cli's own options never match in
 * it.
 */
const shieldMark = "\u0000"

/**
 * Shields the command line of `helioy-bus run <runtime> -- <command…>` (and `dev-proxy -- <args…>`) from the CLI
 * parser, which otherwise takes
 * `--help`, `-h`, `--version`, `--wizard`, `--completions` and `--log-level` as its own even after `--`: every word
 * after that `--` is marked, and `run` removes the mark. Any other argv is returned unchanged. Never fails.
 */
export const shieldLaunchArgs = (argv: ReadonlyArray<string>): Array<string> => {
  if (argv[2] !== "run" && argv[2] !== "dev-proxy") return [...argv]
  const separator = argv.indexOf("--", 3)
  if (separator < 0) return [...argv]
  return [...argv.slice(0, separator + 1), ...argv.slice(separator + 1).map((word) => shieldMark + word)]
}

/** A word of a shielded command line as it was typed. */
export const unshield = (word: string) => (word.startsWith(shieldMark) ? word.slice(shieldMark.length) : word)

const runtimeArg = Args.text({ name: "runtime" }).pipe(
  Args.withDescription("The runtime id: claude, claude-opus, codex, gemini, grok, grok-fast or generic.")
)

const commandArgs = Args.text({ name: "command" }).pipe(
  Args.atLeast(1),
  Args.withDescription("The runtime's command line, after `--` (run directly, no shell).")
)

/**
 * `helioy-bus run <runtime> -- <command…>`: joins the bus as that runtime, runs the command as a child with the
 * runtime's pid variable, HELIOY_RUNTIME and HELIOY_BUS_CWD set, leaves the bus when it ends or on
 * SIGHUP/SIGTERM/SIGINT (forwarded to it), and exits with its status (128+signal when signalled). Exits 2 for an
 * unknown runtime, 127 for a command not found; a bus it cannot join is reported on stderr and never blocks the
 * runtime.
 */
export const runCommand = Command.make(
  "run",
  { runtime: runtimeArg, command: commandArgs },
  ({ command, runtime }) =>
    launch(runtime, [unshield(command[0]), ...command.slice(1).map(unshield)]).pipe(
      Effect.catchTag(
        "UnknownRuntime",
        (error) => Effect.as(report(`unknown runtime '${error.runtime}'; known runtimes: ${error.known.join(", ")}`), 2)
      ),
      Effect.provide(EnvLive),
      Effect.flatMap((status) => Effect.sync(() => process.exit(status))),
      // The runtime's lifetime, not the CLI's interrupt-on-SIGINT/SIGTERM, decides when the wrapper ends.
      Effect.uninterruptible
    )
).pipe(
  Command.withDescription(
    "Launch wrapper: register on the bus, run the runtime as a child, unregister when it exits or on SIGHUP/SIGTERM/SIGINT."
  )
)
