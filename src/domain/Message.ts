import { Schema } from "effect"
import { MessageId } from "./MessageId.js"

/** A message as stored in an inbox file; the on-disk JSON keys of the reference. Extra keys are allowed and ignored. */
export class Message extends Schema.Class<Message>("Message")({
  id: MessageId,
  from: Schema.String,
  to: Schema.String,
  reply_to: Schema.String,
  topic: Schema.NullOr(Schema.String),
  content: Schema.String,
  sent_at: Schema.String
}) {}

/** The JSON encoding of a message file's contents. */
export const MessageFromJson = Schema.parseJson(Message)

/**
 * The inbox file name of a message: `<sent_at with ':' as '-'>_<first 8 chars of id>.json`, lexicographically in send
 * order.
 */
export const messageFileName = (message: { readonly sent_at: string; readonly id: string }): string =>
  `${message.sent_at.replaceAll(":", "-")}_${message.id.slice(0, 8)}.json`
