import { Command, Options } from "@effect/cli"
import { Effect, Option, Redacted } from "effect"
import { version } from "../version.js"
import { devProxyCommand } from "./devProxyCommand.js"
import { doctorCommand } from "./doctorCommand.js"
import { hookCommand } from "./hookCommand.js"
import { humanCommands } from "./humanCommands.js"
import { installCommand } from "./installCommand.js"
import { migrateCommand } from "./migrateCommand.js"
import { runCommand } from "./runCommand.js"
import { uninstallCommand } from "./uninstallCommand.js"

const warroom = Options.boolean("warroom").pipe(
  Options.withDescription("Also offer the warroom tools, so that a session runs one MCP server instead of two.")
)

const busUrl = Options.redacted("bus-url").pipe(
  Options.optional,
  Options.withDescription("A postgres:// URL: the bus in PostgreSQL (as HELIOY_BUS_URL; the password never printed).")
)

// bin/helioy-bus.js starts `serve [--warroom] [--bus-url URL]` through src/mcp/serveMain.ts, without this parser.
const serve = Command.make(
  "serve",
  { warroom, busUrl },
  (options) =>
    Effect.sync(() => {
      if (Option.isSome(options.busUrl)) process.env.HELIOY_BUS_URL = Redacted.value(options.busUrl.value)
    }).pipe(
      Effect.zipRight(Effect.promise(() => import("../mcp/busServer.js"))),
      Effect.flatMap((module) => module.serveBus(version, { warroom: options.warroom }))
    )
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
    migrateCommand,
    devProxyCommand,
    ...humanCommands
  ])
)

/** Runs `helioy-bus` with the given argv. */
export const runBusCli = Command.run(busCommand, { name: "helioy-bus", version })
