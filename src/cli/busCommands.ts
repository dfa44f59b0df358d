import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { version } from "../version.js"
import { devProxyCommand } from "./devProxyCommand.js"
import { doctorCommand } from "./doctorCommand.js"
import { hookCommand } from "./hookCommand.js"
import { humanCommands } from "./humanCommands.js"
import { installCommand } from "./installCommand.js"
import { runCommand } from "./runCommand.js"
import { uninstallCommand } from "./uninstallCommand.js"

const warroom = Options.boolean("warroom").pipe(
  Options.withDescription("Also offer the warroom tools, so that a session runs one MCP server instead of two.")
)

// bin/helioy-bus.js starts `serve` and `serve --warroom` through src/mcp/serveMain.ts, without this parser.
const serve = Command.make(
  "serve",
  { warroom },
  (options) =>
    Effect.flatMap(Effect.promise(() => import("../mcp/busServer.js")), (module) => module.serveBus(version, options))
).pipe(
  Command.withDescription("Run the bus MCP server on stdin/stdout.")
)

const demo = Command.make(
  "demo",
  {},
  () => Effect.flatMap(Effect.promise(() => import("./demo.js")), (module) => module.runDemo)
).pipe(
  Command.withDescription("Start a few bus servers in a temporary bus dir, exchange messages, print a transcript.")
)

/** The `helioy-bus` command line. */
export const busCommand = Command.make("helioy-bus").pipe(
  Command.withDescription("A message bus for coding agents."),
  Command.withSubcommands([
    serve,
    demo,
    hookCommand,
    runCommand,
    installCommand,
    uninstallCommand,
    doctorCommand,
    devProxyCommand,
    ...humanCommands
  ])
)

/** Runs `helioy-bus` with the given argv. */
export const runBusCli = Command.run(busCommand, { name: "helioy-bus", version })
