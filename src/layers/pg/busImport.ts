/** Copying a file bus into PostgreSQL, once: what is already there (same agent id, same message) is left as it is. */
import { Effect } from "effect"
import { messageFileName } from "../../domain/Message.js"
import { replyBytes } from "../../domain/ReadLimits.js"
import type { RegistryUnavailable } from "../../errors/stores.js"
import type { ExportedBus } from "../../programs/exportBus.js"
import type { PgBusShape } from "./PgBus.js"
import { pgRegistryUnavailable } from "./pgRegistryUnavailable.js"

/** How many rows one import added, and how many it found already there. */
export interface ImportCounts {
  readonly agents: number
  readonly agentsPresent: number
  readonly messages: number
  readonly messagesPresent: number
}

/**
 * Inserts the exported agents (rows of `host`, unless a row names its own) and their unread messages, as unread, in
 * one transaction; a row whose key exists is skipped, so a second import adds nothing. Fails with
 * RegistryUnavailable naming the masked URL.
 */
export const importBus = (
  bus: PgBusShape,
  exported: ExportedBus,
  host: string
): Effect.Effect<ImportCounts, RegistryUnavailable> => {
  const sql = bus.sql
  return Effect.gen(function*() {
    let agents = 0
    for (const row of exported.agents) {
      const inserted = yield* sql`INSERT INTO agents ${sql.insert({ ...row, host: row.host === "" ? host : row.host })}
        ON CONFLICT (agent_id) DO NOTHING RETURNING agent_id`
      agents += inserted.length
    }
    let messages = 0
    let total = 0
    for (const { agent, messages: unread } of exported.unread) {
      for (const message of unread) {
        total++
        const inserted = yield* sql`INSERT INTO messages ${
          sql.insert({
            recipient: agent.agent_id,
            file: messageFileName(message),
            id: message.id,
            sender: message.from,
            topic: message.topic,
            body: JSON.stringify(message),
            bytes: replyBytes(message)
          })
        } ON CONFLICT (recipient, file) DO NOTHING RETURNING id`
        messages += inserted.length
      }
    }
    return { agents, agentsPresent: exported.agents.length - agents, messages, messagesPresent: total - messages }
  }).pipe(sql.withTransaction, Effect.mapError(pgRegistryUnavailable(bus)))
}
