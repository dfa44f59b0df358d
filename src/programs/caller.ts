import { Effect, Either } from "effect"
import { type AgentId, validateAgentId } from "../domain/AgentId.js"
import { InvalidInput } from "../errors/bus.js"
import { Identity } from "../services/Identity.js"

/** A tool argument as an agent id: trimmed and validated, or InvalidInput naming the field and the rule it broke. */
export const agentIdArgument = (field: string, raw: string): Effect.Effect<AgentId, InvalidInput> =>
  Either.match(validateAgentId(raw.trim()), {
    onLeft: (reason) => Effect.fail(new InvalidInput({ field, reason })),
    onRight: Effect.succeed
  })

/**
 * The caller's id: `given` when non-empty, else the resolved identity; both validated, failing with InvalidInput for a
 * malformed id.
 */
export const callerId = (field: string, given: string | undefined) =>
  given !== undefined && given.trim() !== ""
    ? agentIdArgument(field, given)
    : Effect.flatMap(Identity, (identity) =>
      Effect.flatMap(identity.resolve, (resolved) => agentIdArgument(field, resolved.agentId)))
