import { Effect } from "effect"
import { WarroomLive } from "../layers/AppLive.js"
import { makeProgramRunner } from "./servicesOnDemand.js"
import { serveStdio } from "./stdioServer.js"

/** What a warroom server tells its client about its tools. */
export const warroomInstructions =
  "helioy-warroom spawns teams of coding agents in tmux panes next to yours, each registered on helioy-bus under " +
  "its own agent id. Call warroom_discover to find agent types, warroom_spawn to open a team, warroom_status to see " +
  "who registered, and talk to members with helioy-bus send_message by agent_id."

/**
 * Runs the warroom MCP server on stdio with the live services; when they cannot be built every tool reports that
 * error and what to do. Default member directories come from the caller's registration, else this process's cwd.
 * The warroom tools and programs are loaded only when it runs.
 */
export const serveWarroom = (version: string) =>
  Effect.scoped(Effect.gen(function*() {
    const warroomTools = yield* Effect.promise(() => import("./warroomTools.js"))
    const run = yield* makeProgramRunner(WarroomLive, "helioy-warroom")
    yield* serveStdio(
      { name: "helioy-warroom", version, instructions: warroomInstructions },
      (server) => warroomTools.registerWarroomTools(server, run, process.cwd())
    )
  }))
