import { Args, Command } from "@effect/cli"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { shellWord } from "../domain/ShellWords.js"
import { BusOn, type BusServices, EnvLive } from "../layers/AppLive.js"
import * as BusConfigLive from "../layers/BusConfigLive.js"
import * as hooks from "../programs/hooks.js"
import { BusConfig } from "../services/BusConfig.js"
import { Processes } from "../services/Processes.js"
import { Runtimes } from "../services/Runtimes.js"
import { SessionEnv } from "../services/SessionEnv.js"
import { readHookEvent } from "./hookEvent.js"

const events = [
  "session-start",
  "session-end",
  "user-prompt-submit",
  "pre-tool-use",
  "stop",
  "before-agent",
  "after-agent",
  "wait-mail",
  "prune"
] as const

type HookName = typeof events[number]

const handlers: Record<
  HookName,
  (context: hooks.HookContext) => Effect.Effect<hooks.HookOutput, unknown, BusServices>
> = {
  "session-start": hooks.sessionStart,
  "session-end": hooks.sessionEnd,
  "user-prompt-submit": hooks.mailContext("UserPromptSubmit"),
  "pre-tool-use": hooks.mailContext("PreToolUse"),
  "stop": hooks.stop,
  "before-agent": hooks.mailContext("BeforeAgent"),
  "after-agent": hooks.stop,
  "wait-mail": hooks.waitMail,
  "prune": () => hooks.prune()
}

const shells = new Set(["sh", "bash", "dash", "zsh", "fish"])

/**
 * The runtime process a hook belongs to: the first of the adapter's pid variables that is set (only where the
 * environment is the session's own), else the hook's parent (past a shell).
 */
const runtimeProcess = (pidEnvs: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const processes = yield* Processes
    const fromEnv = yield* (yield* SessionEnv).pidFrom(pidEnvs)
    if (Option.isSome(fromEnv)) return fromEnv.value
    const parent = Option.getOrElse(yield* processes.parentOf(processes.self), () => process.ppid)
    const command = yield* processes.commandOf(parent)
    if (Option.isSome(command) && shells.has(command.value)) {
      return Option.getOrElse(yield* processes.parentOf(parent), () => parent)
    }
    return parent
  })

const describe = (error: unknown) =>
  (typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)).split(
    "\n"
  )[0]

/**
 * Whether there is a bus to prune: the tmux cleanup hooks keep their HELIOY_BUS_DIR for the life of the tmux server,
 * and pruning a bus dir that is gone (or never held a registry) must not create it again. A PostgreSQL bus always is.
 */
const registryExists = Effect.map(
  BusConfig,
  (config) => Option.isSome(config.busUrl) || fs.existsSync(join(config.busDir, "registry.db"))
)

const runHook = (name: HookName) =>
  Effect.gen(function*() {
    const read = yield* readHookEvent(name === "wait-mail" ? 2_000 : 1_000)
    const runtimes = yield* Runtimes
    const config = yield* BusConfig
    const hints = yield* SessionEnv
    // What the event says of its runtime outranks the environment, which a shared daemon may have from another runtime.
    const runtime = Option.getOrElse(read.runtimeHint, () => "") || hints.runtime || runtimes.defaultRuntime.id
    const adapter = Option.getOrElse(runtimes.get(runtime), () => runtimes.defaultRuntime)
    const shared = adapter.hookEnvironment === "shared"
    const context: hooks.HookContext = {
      event: read.event,
      runtime,
      environment: adapter.hookEnvironment,
      runtimePid: yield* runtimeProcess(shared ? [] : adapter.pidEnvs),
      agentId: shared ? "" : hints.agentId,
      paneId: shared ? "" : hints.tmuxPane,
      agentType: hints.agentType || "general",
      pruneCommand: `HELIOY_BUS_DIR=${shellWord(config.busDir)} ${shellWord(process.execPath)} ${
        shellWord(process.argv[1] ?? "helioy-bus")
      } hook prune`
    }
    return yield* handlers[name](context)
  }).pipe(Effect.provide(BusOn))

/** The hook on the configuration and environment, each read once. */
const runHookIfBus = (name: HookName) =>
  (name === "prune"
    ? Effect.flatMap(registryExists, (exists) => exists ? runHook(name) : Effect.succeed(hooks.quiet))
    : runHook(name)).pipe(Effect.provide(Layer.merge(BusConfigLive.layerFromEnv(), EnvLive)))

/**
 * `helioy-bus hook <event>`: runs one runtime hook; prints what the runtime expects, and never fails the runtime
 * (errors: stderr, exit 0).
 */
export const hookCommand = Command.make(
  "hook",
  { event: Args.choice(events.map((event) => [event, event] as const), { name: "event" }) },
  ({ event }) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(runHookIfBus(event))
      const output = Exit.match(exit, {
        onSuccess: (result) => result,
        onFailure: (cause): hooks.HookOutput => ({
          stdout: "",
          stderr: `helioy-bus hook ${event}: the bus is unavailable (${
            describe(Cause.squash(cause))
          }); continuing without it.`,
          exitCode: 0
        })
      })
      yield* Effect.sync(() => {
        if (output.stdout !== "") process.stdout.write(output.stdout + "\n")
        if (output.stderr !== "") {
          process.stderr.write(output.stderr.endsWith("\n") ? output.stderr : output.stderr + "\n")
        }
        process.exit(output.exitCode)
      })
    })
).pipe(Command.withDescription("Handle a Claude Code, Codex or Gemini CLI hook event (JSON on stdin)."))
