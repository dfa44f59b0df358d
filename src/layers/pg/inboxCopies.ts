/** A PostgreSQL bus's view of message copies, read and unread: where one is, an inbox's history, the awaiting list. */
import { Effect, Either, Option, Schema } from "effect"
import type { AgentId } from "../../domain/AgentId.js"
import { MessageFromJson } from "../../domain/Message.js"
import { formatMillis } from "../../domain/Timestamp.js"
import type { MailboxUnavailable } from "../../errors/stores.js"
import type { Located, MailboxShape } from "../../services/Mailbox.js"
import type { PgBusShape } from "./PgBus.js"

const decode = Schema.decodeUnknownEither(MessageFromJson)

const stateOf = (state: string): Located["state"] =>
  state === "archived" ? "read" : state === "quarantined" ? "quarantined" : "unread"

/**
 * The `locate`, `history`, `awaitingAck` and `acknowledged` members of the PostgreSQL mailboxes: the copy's row says
 * its state and read time; the awaiting list is the archived messages asking for an acknowledgement that the log has
 * none of (so acknowledging needs no step here). Fails with MailboxUnavailable.
 */
export const copyMethods = (
  bus: PgBusShape,
  unavailable: (agentId: string) => (failure: unknown) => MailboxUnavailable,
  checked: (agentId: AgentId) => Effect.Effect<void, MailboxUnavailable>
): Pick<MailboxShape, "locate" | "history" | "awaitingAck" | "acknowledged"> => {
  const sql = bus.sql
  return {
    locate: (agentId, messageId) =>
      Effect.gen(function*() {
        yield* checked(agentId)
        const rows = yield* sql<{ readonly state: string; readonly read_at: Date | null; readonly body: string }>`
          SELECT state, read_at, body FROM messages WHERE recipient = ${agentId} AND id = ${messageId}
          ORDER BY file LIMIT 1`.pipe(Effect.mapError(unavailable(agentId)))
        return Option.map(Option.fromNullable(rows[0]), (row): Located => ({
          state: stateOf(row.state),
          readAt: row.state === "archived" && row.read_at !== null
            ? Option.some(formatMillis(new Date(row.read_at).getTime()))
            : Option.none(),
          message: Option.fromNullable(Either.getOrUndefined(decode(row.body)))
        }))
      }),
    history: (agentId) =>
      Effect.gen(function*() {
        yield* checked(agentId)
        const rows = yield* sql<{ readonly state: string; readonly body: string }>`
          SELECT state, body FROM messages WHERE recipient = ${agentId} AND state IN ('unread', 'archived')
          ORDER BY file`.pipe(Effect.mapError(unavailable(agentId)))
        return rows.flatMap((row) => {
          const message = Either.getOrUndefined(decode(row.body))
          return message === undefined
            ? []
            : [{ message, state: row.state === "archived" ? "read" as const : "unread" as const }]
        })
      }),
    awaitingAck: (agentId) =>
      Effect.gen(function*() {
        yield* checked(agentId)
        const rows = yield* sql<{ readonly id: string }>`
          SELECT m.id FROM messages m WHERE m.recipient = ${agentId} AND m.state = 'archived'
            AND strpos(m.body, '"ack_required":true') > 0
            AND NOT EXISTS (SELECT 1 FROM acknowledgements a WHERE a.message_id = m.id AND a.agent_id = ${agentId})
          ORDER BY m.file`.pipe(Effect.mapError(unavailable(agentId)))
        return rows.map((row) => row.id)
      }),
    acknowledged: (agentId) => checked(agentId)
  }
}
