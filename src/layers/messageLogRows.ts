/** The rows both message logs (SQLite and PostgreSQL) read, and the entries they make of them. */
import { Schema } from "effect"
import type { LoggedMessage } from "../services/MessageLog.js"

/** A flag as a driver returns it: SQLite's 0/1, PostgreSQL's boolean. */
const Flag = Schema.Union(Schema.Boolean, Schema.Number)

/** One message row with its recipients, one per line. */
export const MessageRow = Schema.Struct({
  message_id: Schema.String,
  thread_id: Schema.String,
  in_reply_to: Schema.NullOr(Schema.String),
  from_agent: Schema.String,
  topic: Schema.NullOr(Schema.String),
  priority: Schema.String,
  ack_required: Flag,
  ack_notify: Flag,
  sent_at: Schema.String,
  content: Schema.String,
  recipients: Schema.NullOr(Schema.String)
})

/** Decodes message rows; fails with a ParseError on a row of another shape. */
export const decodeMessages = Schema.decodeUnknown(Schema.Array(MessageRow))

/** Decodes search hits (message rows with their rank); fails with a ParseError. */
export const decodeHits = Schema.decodeUnknown(
  Schema.Array(Schema.Struct({ ...MessageRow.fields, rank: Schema.Number }))
)

/** Decodes acknowledgement rows; fails with a ParseError. */
export const decodeAcks = Schema.decodeUnknown(
  Schema.Array(Schema.Struct({ agent_id: Schema.String, at: Schema.String, note: Schema.NullOr(Schema.String) }))
)

/** The log entry of a row; never fails. */
export const logged = (row: typeof MessageRow.Type): LoggedMessage => ({
  message_id: row.message_id,
  thread_id: row.thread_id,
  in_reply_to: row.in_reply_to,
  from: row.from_agent,
  topic: row.topic,
  priority: row.priority === "urgent" ? "urgent" : "normal",
  ack_required: Boolean(row.ack_required),
  ack_notify: Boolean(row.ack_notify),
  sent_at: row.sent_at,
  content: row.content,
  recipients: row.recipients === null || row.recipients === "" ? [] : row.recipients.split("\n")
})

/** How often one process forgets expired entries (on a record). */
export const pruneEveryMillis = 3_600_000
