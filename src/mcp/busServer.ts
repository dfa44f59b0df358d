import { Duration, Effect } from "effect"
import { BusLive, WarroomLive } from "../layers/AppLive.js"
import { keepAlive } from "../programs/keepAlive.js"
import { registerBusTools } from "./busTools.js"
import { makeProgramRunner, type ProgramRunner } from "./servicesOnDemand.js"
import { serveStdio } from "./stdioServer.js"
import { warroomInstructions } from "./warroomServer.js"

const instructions = "helioy-bus lets coding agents on this machine find each other and exchange messages. " +
  "Call whoami to see your id, list_agents to see who is here, send_message to write to an agent id, " +
  "'role:<type>' or '*', and get_messages to read your mail when you are told you have some."

/** What a `helioy-bus serve` offers besides the bus tools. */
export interface ServeOptions {
  /** Also offer the warroom tools (one server per session instead of two). */
  readonly warroom: boolean
}

/** How often a server heartbeats its agent on a PostgreSQL bus (well inside the default staleness of 120 s). */
const heartbeatEvery = Duration.seconds(15)

/** Heartbeats for the life of the server (see `keepAlive`: nothing happens on a file bus). */
const keepingAlive = (run: ProgramRunner<Effect.Effect.Context<typeof keepAlive>>) =>
  Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(heartbeatEvery), Effect.promise(() => run(keepAlive)))))

/** The bus server alone: the warroom programs are never loaded. */
const serveBusOnly = (version: string) =>
  Effect.gen(function*() {
    const run = yield* makeProgramRunner(BusLive, "helioy-bus")
    yield* keepingAlive(run)
    yield* serveStdio({ name: "helioy-bus", version, instructions }, (server, responses) =>
      registerBusTools(server, run, responses))
  })

/** The bus and warroom tools on one server and one set of services; the warroom tools are loaded only here. */
const serveBusAndWarroom = (version: string) =>
  Effect.gen(function*() {
    const warroomTools = yield* Effect.promise(() => import("./warroomTools.js"))
    const run = yield* makeProgramRunner(WarroomLive, "helioy-bus")
    yield* keepingAlive(run)
    yield* serveStdio(
      { name: "helioy-bus", version, instructions: `${instructions} ${warroomInstructions}` },
      (server, responses) => {
        registerBusTools(server, run, responses)
        warroomTools.registerWarroomTools(server, run, process.cwd())
      }
    )
  })

/**
 * Runs the bus MCP server on stdio with the live services (and the warroom tools with `warroom`). When they cannot
 * be built (unsafe bus dir, registry locked or unreadable) the server still answers, and every tool reports that
 * error and what to do.
 */
export const serveBus = (version: string, options: ServeOptions = { warroom: false }) =>
  Effect.scoped(options.warroom ? serveBusAndWarroom(version) : serveBusOnly(version))
