/** Finding, and when needed starting, the shared Codex daemon (`codex app-server --managed-daemon`) of a CODEX_HOME. */
import { Duration, Effect } from "effect"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import { homedir } from "node:os"
import { join } from "node:path"
import { CodexUnavailable } from "../errors/codex.js"

/** The CODEX_HOME of an environment (default `~/.codex`). */
export const codexHome = (env: NodeJS.ProcessEnv): string => env.CODEX_HOME || join(homedir(), ".codex")

/** The daemon's control socket of a CODEX_HOME (a link to the socket itself). */
export const controlSocket = (home: string): string => join(home, "app-server-control", "app-server-control.sock")

/**
 * The variables that say which session a process belongs to. The daemon runs the hooks and MCP servers of every
 * session with its own environment, so it must be started without them: none of them would be true for most.
 */
const sessionVariables = [
  "HELIOY_AGENT_ID",
  "HELIOY_BUS_AGENT_TYPE",
  "HELIOY_BUS_CODEX_PID",
  "HELIOY_SESSION_ID",
  "TMUX_PANE"
]

/**
 * The environment to start the daemon with: the wrapper's, less every per-session variable, and HELIOY_RUNTIME=codex.
 */
export const daemonEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const copy: NodeJS.ProcessEnv = { ...env, HELIOY_RUNTIME: "codex" }
  for (const name of sessionVariables) delete copy[name]
  return copy
}

/** Whether a daemon answers on the control socket; never fails. */
export const daemonListening = (socketPath: string): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    let target: string
    try {
      target = fs.realpathSync(socketPath)
    } catch {
      return resume(Effect.succeed(false))
    }
    const socket = net.connect(target)
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.succeed(true))
    })
    socket.once("error", () => resume(Effect.succeed(false)))
  })

/** How long `codex app-server daemon start` may take (the first start copies Codex into CODEX_HOME). */
const startLimit = Duration.seconds(90)

/**
 * Makes sure the daemon of the environment's CODEX_HOME runs: when nothing answers on its socket, runs
 * `<codex> app-server daemon start` (no shell) with the session variables removed. Succeeds with the control socket;
 * fails with CodexUnavailable when Codex cannot start it (e.g. a version without a daemon).
 */
export const ensureDaemon = (codexCommand: string, env: NodeJS.ProcessEnv): Effect.Effect<string, CodexUnavailable> =>
  Effect.gen(function*() {
    const socket = controlSocket(codexHome(env))
    if (yield* daemonListening(socket)) return socket
    yield* Effect.async<void, CodexUnavailable>((resume) => {
      const child = execFile(
        codexCommand,
        ["app-server", "daemon", "start"],
        { env: daemonEnv(env), timeout: Duration.toMillis(startLimit), maxBuffer: 1024 * 1024 },
        (error, _stdout, stderr) =>
          resume(
            error === null
              ? Effect.void
              : Effect.fail(
                new CodexUnavailable({
                  reason: `${codexCommand} app-server daemon start failed: ${
                    (stderr || error.message).trim().split("\n").at(-1)
                  }`
                })
              )
          )
      )
      return Effect.sync(() => child.kill())
    })
    if (!(yield* daemonListening(socket))) {
      return yield* new CodexUnavailable({ reason: `the Codex daemon started but does not answer on ${socket}` })
    }
    return socket
  })
