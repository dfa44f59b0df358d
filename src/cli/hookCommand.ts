import * as fs from "node:fs"
import { join } from "node:path"
import { Args, Command } from "@effect/cli"
import { Cause, Config, Effect, Exit, Option } from "effect"
import { BusLive, type BusServices } from "../layers/AppLive.js"
import * as BusConfigLive from "../layers/BusConfigLive.js"
import * as hooks from "../programs/hooks.js"
import { shellWord } from "../domain/ShellWords.js"
import { BusConfig } from "../services/BusConfig.js"
import { Processes } from "../services/Processes.js"
import { Runtimes } from "../services/Runtimes.js"
import { readHookEvent } from "./hookEvent.js"

const events = ["session-start", "session-end", "user-prompt-submit", "pre-tool-use", "stop", "wait-mail", "prune"] as const

type HookName = typeof events[number]

const handlers: Record<HookName, (context: hooks.HookContext) => Effect.Effect<hooks.HookOutput, unknown, BusServices>> = {
  "session-start": hooks.sessionStart,
  "session-end": hooks.sessionEnd,
  "user-prompt-submit": hooks.mailContext("UserPromptSubmit"),
  "pre-tool-use": hooks.mailContext("PreToolUse"),
  "stop": hooks.stop,
  "wait-mail": hooks.waitMail,
  "prune": () => hooks.prune()
}

const shells = new Set(["sh", "bash", "dash", "zsh", "fish"])

const env = (name: string) => Config.string(name).pipe(Config.withDefault(""))

/**
 * The runtime process a hook belongs to: the first of the adapter's pid variables that is set (only where the
 * environment is the session's own), else the hook's parent (past a shell).
 */
const runtimeProcess = (pidEnvs: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const processes = yield* Processes
    for (const name of pidEnvs) {
      const fromEnv = Number(yield* env(name))
      if (Number.isInteger(fromEnv) && fromEnv > 1) return fromEnv
    }
    const parent = Option.getOrElse(yield* processes.parentOf(processes.self), () => process.ppid)
    const command = yield* processes.commandOf(parent)
    if (Option.isSome(command) && shells.has(command.value)) {
      return Option.getOrElse(yield* processes.parentOf(parent), () => parent)
    }
    return parent
  })

const describe = (error: unknown) =>
  (typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)).split("\n")[0]

/**
 * Whether there is a bus to prune: the tmux cleanup hooks keep their HELIOY_BUS_DIR for the life of the tmux server,
 * and pruning a bus dir that is gone (or never held a registry) must not create it again.
 */
const registryExists = Effect.map(BusConfig, (config) => fs.existsSync(join(config.busDir, "registry.db"))).pipe(
  Effect.provide(BusConfigLive.layerFromEnv())
)

const runHook = (name: HookName) =>
  Effect.gen(function*() {
    const read = yield* readHookEvent(name === "wait-mail" ? 2_000 : 1_000)
    const runtimes = yield* Runtimes
    const config = yield* BusConfig
    // What the event says of its runtime outranks the environment, which a shared daemon may have from another runtime.
    const runtime = Option.getOrElse(read.runtimeHint, () => "") || (yield* env("HELIOY_RUNTIME")) || runtimes.defaultRuntime.id
    const adapter = Option.getOrElse(runtimes.get(runtime), () => runtimes.defaultRuntime)
    const shared = adapter.hookEnvironment === "shared"
    const context: hooks.HookContext = {
      event: read.event,
      runtime,
      environment: adapter.hookEnvironment,
      runtimePid: yield* runtimeProcess(shared ? [] : adapter.pidEnvs),
      agentId: shared ? "" : yield* env("HELIOY_AGENT_ID"),
      paneId: shared ? "" : yield* env("TMUX_PANE"),
      agentType: (yield* env("HELIOY_BUS_AGENT_TYPE")) || "general",
      pruneCommand: `HELIOY_BUS_DIR=${shellWord(config.busDir)} ${shellWord(process.execPath)} ${shellWord(process.argv[1] ?? "helioy-bus")} hook prune`
    }
    return yield* handlers[name](context)
  }).pipe(Effect.provide(BusLive))

const runHookIfBus = (name: HookName) =>
  name === "prune"
    ? Effect.flatMap(registryExists, (exists) => exists ? runHook(name) : Effect.succeed(hooks.quiet))
    : runHook(name)

/** `helioy-bus hook <event>`: runs one runtime hook; prints what the runtime expects, and never fails the runtime (errors: stderr, exit 0). */
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
          stderr: `helioy-bus hook ${event}: the bus is unavailable (${describe(Cause.squash(cause))}); continuing without it.`,
          exitCode: 0
        })
      })
      yield* Effect.sync(() => {
        if (output.stdout !== "") process.stdout.write(output.stdout + "\n")
        if (output.stderr !== "") process.stderr.write(output.stderr.endsWith("\n") ? output.stderr : output.stderr + "\n")
        process.exit(output.exitCode)
      })
    })
).pipe(Command.withDescription("Handle a Claude Code or Codex hook event (JSON on stdin)."))
