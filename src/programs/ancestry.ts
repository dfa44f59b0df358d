import { Effect, Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import type { PidFilesShape } from "../services/PidFiles.js"
import type { ProcessesShape } from "../services/Processes.js"

/** How many parents the ancestor walk climbs at most. */
const maxAncestors = 32

/**
 * The agent of the nearest process, from `from` up through its parents, that has a pid file with a valid id: the
 * process tree cannot be inherited from another session, unlike the environment. None when no ancestor has one.
 */
export const nearestRegisteredAncestor = (pidFiles: PidFilesShape, processes: ProcessesShape, from: number) =>
  Effect.gen(function*() {
    let pid: Option.Option<number> = Option.some(from)
    for (let hop = 0; hop < maxAncestors && Option.isSome(pid) && pid.value > 1; hop++) {
      const agentId = yield* pidFiles.read(pid.value)
      if (Option.isSome(agentId)) return agentId
      pid = yield* processes.parentOf(pid.value)
    }
    return Option.none<AgentId>()
  })
