/** The payload of a notification of the PostgreSQL bus's feed channel: what happened to which copy. */
import { Schema } from "effect"
import { AgentId } from "../../domain/AgentId.js"
import type { InboxEvent } from "../../services/Mailbox.js"

/** A feed notification as decoded: the event, the recipient and the file (the key of the copy's row). */
export const FeedNotice = Schema.parseJson(Schema.Tuple(Schema.Literal("delivered", "read"), AgentId, Schema.String))

/** The payload of the feed notification of an event of one copy (about 300 bytes at most: an id and a file name). */
export const feedNotice = (event: InboxEvent["event"], recipient: string, file: string): string =>
  JSON.stringify([event, recipient, file])
