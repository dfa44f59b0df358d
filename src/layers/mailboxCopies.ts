/** The file mailbox's view of message copies, read and unread: where one is, an inbox's history, the awaiting list. */
import { Effect, Option } from "effect"
import { awaitingIds, clearAwaiting } from "../busFiles/awaitingAck.js"
import { findCopy, inboxHistory, readTimestamp } from "../busFiles/messageLocation.js"
import type { AgentId } from "../domain/AgentId.js"
import type { MailboxUnavailable } from "../errors/stores.js"
import type { MailboxShape } from "../services/Mailbox.js"
import type { InboxReader } from "./mailboxTake.js"

/**
 * The `locate`, `history`, `awaitingAck` and `acknowledged` members of the file mailbox, over the inbox directory
 * `existing` finds (none when the inbox does not exist; it fails when the inbox is unusable).
 */
export const copyMethods = (
  reader: InboxReader,
  existing: (agentId: AgentId) => Effect.Effect<Option.Option<string>, MailboxUnavailable>
): Pick<MailboxShape, "locate" | "history" | "awaitingAck" | "acknowledged"> => {
  const inExisting = <A>(agentId: AgentId, empty: A, use: (dir: string) => A) =>
    Effect.map(existing(agentId), Option.match({ onNone: () => empty, onSome: use }))
  return {
    locate: (agentId, messageId) =>
      inExisting(
        agentId,
        Option.none(),
        (dir) =>
          Option.map(Option.fromNullable(findCopy(reader, dir, messageId)), (copy) => ({
            state: copy.state,
            readAt: copy.state === "read" ? Option.some(readTimestamp(copy)) : Option.none(),
            message: Option.fromNullable(copy.message)
          }))
      ),
    history: (agentId) => inExisting(agentId, [], (dir) => inboxHistory(reader, dir)),
    awaitingAck: (agentId) => inExisting(agentId, [], (dir) => awaitingIds(reader.tree, dir)),
    acknowledged: (agentId, messageId) =>
      inExisting(agentId, undefined, (dir) => clearAwaiting(reader.tree, dir, messageId))
  }
}
