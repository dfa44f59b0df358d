import { Effect, Option } from "effect"
import * as os from "node:os"
import { Registry } from "../../services/Registry.js"
import { registerAgent } from "../bus.js"
import { agentIdArgument } from "../caller.js"

/** The id a person gets on the bus: `human:<login name>`, characters an id may not hold replaced by `-`. */
export const humanId = (user = os.userInfo().username): string =>
  `human:${user.replace(/[^A-Za-z0-9_.@-]/g, "-") || "user"}`

/**
 * The id a person acts as (`from`, else `human:<user>`), registered as an agent of type and runtime `human` (no pane,
 * no process: it stays until unregistered) when it is not yet, so that agents can answer it. Fails with InvalidInput
 * for a malformed id, or a store error.
 */
export const ensureHuman = (from: string, cwd: string) =>
  Effect.gen(function*() {
    const id = yield* agentIdArgument("from", from === "" ? humanId() : from)
    const registry = yield* Registry
    if (Option.isNone(yield* registry.get(id))) {
      yield* registerAgent({ pwd: cwd, agent_id: id, agent_type: "human", runtime: "human", pid: null })
    }
    return id
  })
