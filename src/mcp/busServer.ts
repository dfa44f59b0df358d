import { Effect } from "effect"
import { BusLive } from "../layers/AppLive.js"
import { registerBusTools } from "./busTools.js"
import { makeProgramRunner } from "./servicesOnDemand.js"
import { serveStdio } from "./stdioServer.js"

const instructions =
  "helioy-bus lets coding agents on this machine find each other and exchange messages. " +
  "Call whoami to see your id, list_agents to see who is here, send_message to write to an agent id, " +
  "'role:<type>' or '*', and get_messages to read your mail when you are told you have some."

/**
 * Runs the bus MCP server on stdio with the live services. When they cannot be built (unsafe bus dir, registry
 * locked or unreadable) the server still answers, and every tool reports that error and what to do.
 */
export const serveBus = (version: string) =>
  Effect.scoped(Effect.gen(function*() {
    const run = yield* makeProgramRunner(BusLive, "helioy-bus")
    yield* serveStdio({ name: "helioy-bus", version, instructions }, (server, responses) => registerBusTools(server, run, responses))
  }))
