import { Effect } from "effect"
import { BusLive, WarroomLive } from "../layers/AppLive.js"
import { registerBusTools } from "./busTools.js"
import { makeProgramRunner } from "./servicesOnDemand.js"
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

/** The bus server alone: the warroom programs are never loaded. */
const serveBusOnly = (version: string) =>
  Effect.gen(function*() {
    const run = yield* makeProgramRunner(BusLive, "helioy-bus")
    yield* serveStdio({ name: "helioy-bus", version, instructions }, (server, responses) =>
      registerBusTools(server, run, responses))
  })

/** The bus and warroom tools on one server and one set of services; the warroom tools are loaded only here. */
const serveBusAndWarroom = (version: string) =>
  Effect.gen(function*() {
    const warroomTools = yield* Effect.promise(() => import("./warroomTools.js"))
    const run = yield* makeProgramRunner(WarroomLive, "helioy-bus")
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
