/** The rows both registries (SQLite and PostgreSQL) read: agents as any version stored them, and wakes. */
import { Effect, Either, Schema } from "effect"
import { AgentId, printable, validateAgentId } from "../../domain/AgentId.js"
import { type AgentRow, StoredAgentRow } from "../../domain/AgentRecord.js"
import type { WakeRecord } from "../../domain/Wake.js"

/** Decodes agent rows as any version stored them; fails with a ParseError on a row of another shape. */
export const decodeRows = Schema.decodeUnknown(Schema.Array(StoredAgentRow))

/**
 * The rows with an id this version accepts, each other one logged as skipped (another version may have written it);
 * never fails.
 */
export const usableRows = (stored: ReadonlyArray<StoredAgentRow>) =>
  Effect.gen(function*() {
    const usable: Array<AgentRow> = []
    for (const row of stored) {
      const checked = validateAgentId(row.agent_id)
      if (Either.isRight(checked)) usable.push({ ...row, agent_id: checked.right })
      else {
        yield* Effect.logWarning(
          `skipping registered agent ${
            printable(JSON.stringify(row.agent_id))
          }: ${checked.left}; unregister it with the version that registered it, or re-register that agent under a valid id`
        )
      }
    }
    return usable
  })

const WakeRow = Schema.Struct({
  agent_id: AgentId,
  message_id: Schema.String,
  method: Schema.Literal("rewake", "daemon", "nudge", "turn-boundary", "hook-context", "none"),
  at: Schema.String,
  confirmed: Schema.Number,
  reason: Schema.String
})

/** Decodes wake rows; fails with a ParseError on a row of another shape. */
export const decodeWakes = Schema.decodeUnknown(Schema.Array(WakeRow))

/** A wake row as the record it stores; never fails. */
export const wakeOf = (row: typeof WakeRow.Type): WakeRecord => ({
  agentId: row.agent_id,
  messageId: row.message_id,
  method: row.method,
  at: row.at,
  confirmed: row.confirmed !== 0,
  reason: row.reason
})
