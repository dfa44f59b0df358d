import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { unshield } from "./runCommand.js"

/** This package's root: the nearest directory above this file holding the helioy-bus package.json. */
const packageRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }
      if (manifest.name === "helioy-bus") return dir
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir)
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..")
}

const watch = Options.directory("watch").pipe(
  Options.optional,
  Options.withDescription("The directory whose rebuild restarts the server (default: this package's dist/).")
)

const entry = Options.file("entry").pipe(
  Options.optional,
  Options.withDescription("The Node script the server runs (default: this package's bin/helioy-bus.js).")
)

const serverArgs = Args.text({ name: "server-args" }).pipe(
  Args.repeated,
  Args.withDescription("The script's arguments, after `--` (default: serve), e.g. `-- serve --warroom`.")
)

/**
 * `helioy-bus dev-proxy [--watch DIR] [--entry SCRIPT] [-- ARGS…]`: an MCP stdio server for developing helioy-bus
 * itself. It runs `node SCRIPT ARGS…` (by default this package's `helioy-bus serve`) and restarts it whenever DIR is
 * rebuilt, replaying the client's initialize, so the client's session survives `npm run build`.
 */
export const devProxyCommand = Command.make(
  "dev-proxy",
  { watch, entry, serverArgs },
  (options) =>
    Effect.gen(function*() {
      const root = packageRoot()
      const script = Option.getOrElse(options.entry, () => join(root, "bin", "helioy-bus.js"))
      const args = options.serverArgs.length === 0 ? ["serve"] : options.serverArgs.map(unshield)
      const { runDevProxy } = yield* Effect.promise(() => import("../devProxy/devProxy.js"))
      yield* runDevProxy({
        watch: resolve(Option.getOrElse(options.watch, () => join(root, "dist"))),
        server: [process.execPath, resolve(script), ...args],
        env: process.env,
        watchOptions: { debounce: "300 millis", poll: "2 seconds", fileEvents: true },
        replayTimeout: "10 seconds",
        stopGrace: "3 seconds",
        input: process.stdin,
        output: process.stdout
      })
    })
).pipe(
  Command.withDescription(
    "Development proxy: serve MCP on stdio through a server that is restarted, handshake replayed, whenever dist/ is rebuilt."
  )
)
