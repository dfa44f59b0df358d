import { Schema } from "effect"
import { MessageId } from "./MessageId.js"

/**
 * A message as stored in an inbox file; the on-disk JSON keys of the reference, plus the optional `thread_id`,
 * `in_reply_to`, `priority` and `ack_required` (written before `content`, so a file's first KiB names them). A file
 * without them still reads; an unknown priority reads as normal. Other extra keys are allowed and ignored.
 */
export class Message extends Schema.Class<Message>("Message")({
  id: MessageId,
  from: Schema.String,
  to: Schema.String,
  reply_to: Schema.String,
  topic: Schema.NullOr(Schema.String),
  thread_id: Schema.optional(Schema.String),
  in_reply_to: Schema.optional(Schema.NullOr(Schema.String)),
  priority: Schema.optional(Schema.String),
  ack_required: Schema.optional(Schema.Boolean),
  content: Schema.String,
  sent_at: Schema.String
}) {}

/** The JSON encoding of a message file's contents. */
export const MessageFromJson = Schema.parseJson(Message)

/** How urgent a message is: `urgent` is read and named first, and may wake inside the nudge throttle. */
export type Priority = "normal" | "urgent"

/** The priority of a message: `urgent` only when it says so; anything else (or nothing) is normal. */
export const priorityOf = (message: { readonly priority?: string | undefined }): Priority =>
  message.priority === "urgent" ? "urgent" : "normal"

/** The thread of a message: its `thread_id`, or its own id when it names none (it starts one). */
export const threadOf = (message: { readonly id: string; readonly thread_id?: string | undefined }): string =>
  message.thread_id !== undefined && message.thread_id !== "" ? message.thread_id : message.id

/**
 * The inbox file name of a message: `<sent_at with ':' as '-'>_<first 8 chars of id>.json`, lexicographically in send
 * order.
 */
export const messageFileName = (message: { readonly sent_at: string; readonly id: string }): string =>
  `${message.sent_at.replaceAll(":", "-")}_${message.id.slice(0, 8)}.json`
