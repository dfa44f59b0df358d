import { Effect, Option, Runtime, type Scope } from "effect"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ensureDaemon } from "../../codex/daemon.js"
import { remoteCodexArgv } from "../../codex/remoteLaunch.js"
import { serveTuiProxy } from "../../codex/tuiProxy.js"
import * as CodexThreadsLive from "../../layers/CodexThreadsLive.js"
import { wakeCodexSession } from "../../programs/codexWaker.js"
import { BusConfig } from "../../services/BusConfig.js"
import { Registry } from "../../services/Registry.js"
import { report, type WrapperBus } from "./busSession.js"

/** A private 0700 directory for the relay's socket, removed with the scope. */
const privateDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(join(tmpdir(), "helioy-codex-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/**
 * For a wrapped Codex TUI: makes sure the daemon of its CODEX_HOME runs (started without any session's variables),
 * relays the TUI through a private socket to learn its threads, binds each to the agent, and wakes the session
 * through the daemon, all for the life of the scope. Succeeds with the command line to run (`--remote` to the relay),
 * or none when it is not the plain TUI, HELIOY_CODEX_DAEMON=off, or the daemon cannot be used (said on stderr: the
 * session is then woken by a typed nudge). Never fails.
 */
export const codexRelay = (
  bus: WrapperBus,
  argv: readonly [string, ...Array<string>],
  env: NodeJS.ProcessEnv,
  cwd: string
): Effect.Effect<Option.Option<readonly [string, ...Array<string>]>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { codexDaemon } = yield* Effect.provide(BusConfig, bus.services)
    if (!codexDaemon || remoteCodexArgv(argv, "", cwd) === undefined) return Option.none()
    const agentId = bus.agent.agent_id
    const attempt = Effect.gen(function*() {
      const socket = yield* ensureDaemon(argv[0], env)
      const listen = join(yield* privateDir, "tui.sock")
      const runtime = yield* Effect.runtime<never>()
      const bind = (threadId: string) =>
        Runtime.runFork(runtime)(
          Effect.flatMap(Registry, (registry) => registry.bindSession(agentId, threadId)).pipe(
            Effect.provide(bus.services),
            Effect.catchAllCause(() => report(`could not bind Codex thread ${threadId} to '${agentId}'`))
          )
        )
      yield* serveTuiProxy(listen, socket, bind)
      // The wrapper runs uninterruptibly (its child's life decides when it ends); the waker must stay interruptible,
      // or its races could never drop their losers and the scope could never close it.
      yield* Effect.forkScoped(Effect.interruptible(
        wakeCodexSession(agentId, process.pid).pipe(
          Effect.provide(bus.services),
          Effect.provide(CodexThreadsLive.layer(socket))
        )
      ))
      return Option.fromNullable(remoteCodexArgv(argv, listen, cwd))
    })
    return yield* attempt.pipe(
      Effect.catchAll((error) =>
        Effect.as(
          report(`the Codex daemon cannot be used (${error.reason}); this session is woken by a typed nudge`),
          Option.none()
        )
      )
    )
  })
