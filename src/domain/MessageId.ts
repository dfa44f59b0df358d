import { Schema } from "effect"

/** A message id: a UUID shared by every copy of one send. */
export const MessageId = Schema.UUID.pipe(Schema.brand("MessageId"))

/** A validated message id. */
export type MessageId = typeof MessageId.Type
