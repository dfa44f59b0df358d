/**
 * `helioy-bus dev-proxy`: sits between an MCP client's stdio and the real server, restarts the server whenever its
 * build changes and replays the initialize handshake to it, so that the client's session survives rebuilds. The
 * decisions are `proxyState.step`'s; this module carries its actions out on real processes and pipes.
 */
import { type Duration, Effect, Queue, type Scope } from "effect"
import { type ChildProcessByStdio, spawn } from "node:child_process"
import * as readline from "node:readline"
import type { Readable, Writable } from "node:stream"
import { type BuildWatchOptions, watchBuild } from "./buildWatch.js"
import type { ProxyAction, ProxyEvent, ProxyState } from "./proxyModel.js"
import { start, step } from "./proxyState.js"

/** What the proxy runs and watches, and the pipes of its client. */
export interface DevProxyOptions {
  /** The directory whose rebuild restarts the server (the server's `dist/`). */
  readonly watch: string
  /** The server's command line (run directly, no shell). */
  readonly server: readonly [string, ...Array<string>]
  /** The server's environment. */
  readonly env: NodeJS.ProcessEnv
  readonly watchOptions: BuildWatchOptions
  /** How long a restarted server may take to answer the replayed initialize before the proxy resumes anyway. */
  readonly replayTimeout: Duration.DurationInput
  /** How long a stopped server may take to exit before it is killed. */
  readonly stopGrace: Duration.DurationInput
  /** The client's side: newline-delimited JSON-RPC in and out. */
  readonly input: NodeJS.ReadableStream
  readonly output: NodeJS.WritableStream
}

type ServerProcess = ChildProcessByStdio<Writable, Readable, null>

const alive = (child: ServerProcess) => child.exitCode === null && child.signalCode === null

/**
 * Runs the proxy until the client closes its input, then stops the server and returns. Never fails: a server that
 * cannot start or that crashes leaves the proxy answering calls with why, until the next rebuild.
 */
export const runDevProxy = (options: DevProxyOptions): Effect.Effect<void> =>
  Effect.scoped(Effect.gen(function*() {
    const events = yield* Queue.unbounded<ProxyEvent>()
    const offer = (event: ProxyEvent) => {
      Queue.unsafeOffer(events, event)
    }
    const servers = new Map<number, ServerProcess>()
    let current: ServerProcess | undefined
    options.output.on("error", () => {})

    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const lines = readline.createInterface({ input: options.input, crlfDelay: Infinity })
        lines.on("line", (line) => {
          if (line.trim() !== "") offer({ _tag: "ClientLine", line })
        })
        lines.on("close", () => offer({ _tag: "ClientClosed" }))
        return lines
      }),
      (lines) => Effect.sync(() => lines.close())
    )
    // Whatever way the proxy ends, no server outlives it.
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const child of servers.values()) if (alive(child)) child.kill("SIGTERM")
      })
    )

    const spawnServer = (generation: number) =>
      Effect.sync(() => {
        const [command, ...args] = options.server
        const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env: options.env })
        servers.set(generation, child)
        current = child
        child.stdin.on("error", () => {})
        let ended = false
        const end = (code: number | null, signal: string | null) => {
          if (ended) return
          ended = true
          servers.delete(generation)
          offer({ _tag: "ServerExited", generation, code, signal })
        }
        child.on("error", (error) => {
          process.stderr.write(`helioy-bus dev-proxy: cannot run ${command}: ${error.message}\n`)
          if (child.pid === undefined) end(127, null)
        })
        readline.createInterface({ input: child.stdout, crlfDelay: Infinity })
          .on("line", (line) => offer({ _tag: "ServerLine", generation, line }))
        child.once("close", end)
      })

    const stopServer = (generation: number) =>
      Effect.gen(function*() {
        const child = servers.get(generation)
        if (child === undefined || !alive(child)) return
        child.stdin.end()
        child.kill("SIGTERM")
        yield* Effect.forkScoped(Effect.delay(
          Effect.sync(() => {
            if (alive(child)) child.kill("SIGKILL")
          }),
          options.stopGrace
        ))
      })

    /** Carries one action out; true when the proxy is done. */
    const perform = (action: ProxyAction): Effect.Effect<boolean, never, Scope.Scope> => {
      switch (action._tag) {
        case "ToClient":
          return Effect.as(Effect.sync(() => options.output.write(action.line + "\n")), false)
        case "ToServer":
          return Effect.as(
            Effect.sync(() => {
              if (current !== undefined && current.stdin.writable) current.stdin.write(action.line + "\n")
            }),
            false
          )
        case "Spawn":
          return Effect.as(spawnServer(action.generation), false)
        case "Stop":
          return Effect.as(stopServer(action.generation), false)
        case "AwaitReplay":
          return Effect.as(
            Effect.forkScoped(
              Effect.delay(
                Queue.offer(events, { _tag: "ReplayTimedOut", generation: action.generation }),
                options.replayTimeout
              )
            ),
            false
          )
        case "Log":
          return Effect.as(Effect.logInfo(`dev-proxy: ${action.message}`), false)
        case "Exit":
          return Effect.succeed(true)
      }
    }

    const performAll = (actions: ReadonlyArray<ProxyAction>) =>
      Effect.reduce(actions, false, (done, action) => (done ? Effect.succeed(true) : perform(action)))

    yield* performAll(start.actions)
    yield* watchBuild(options.watch, options.watchOptions, Queue.offer(events, { _tag: "Rebuilt" }))
    yield* Effect.iterate(start.state as ProxyState | undefined, {
      while: (state): state is ProxyState => state !== undefined,
      body: (state) =>
        Effect.gen(function*() {
          const next = step(state, yield* Queue.take(events))
          return (yield* performAll(next.actions)) ? undefined : next.state
        })
    })
  }))
