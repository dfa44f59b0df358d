import { Effect } from "effect"
import { WarroomLive } from "../layers/AppLive.js"
import { makeProgramRunner } from "./servicesOnDemand.js"
import { serveStdio } from "./stdioServer.js"
import { registerWarroomTools } from "./warroomTools.js"

const instructions =
  "helioy-warroom spawns teams of coding agents in tmux panes next to yours, each registered on helioy-bus under " +
  "its own agent id. Call warroom_discover to find agent types, warroom_spawn to open a team, warroom_status to see " +
  "who registered, and talk to members with helioy-bus send_message by agent_id."

/**
 * Runs the warroom MCP server on stdio with the live services; when they cannot be built every tool reports that
 * error and what to do. Default member directories come from the caller's registration, else this process's cwd.
 */
export const serveWarroom = (version: string) =>
  Effect.scoped(Effect.gen(function*() {
    const run = yield* makeProgramRunner(WarroomLive, "helioy-warroom")
    yield* serveStdio({ name: "helioy-warroom", version, instructions }, (server) => registerWarroomTools(server, run, process.cwd()))
  }))
