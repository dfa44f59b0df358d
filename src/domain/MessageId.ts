import { Effect, Schema } from "effect"

/**
 * A message id, shared by every copy of one send. New ids are random UUIDs; an id read from an inbox file is taken as
 * written (the reference and older versions wrote UUIDs too, but a file is not trusted to).
 */
export const MessageId = Schema.String.pipe(Schema.brand("MessageId"))

/** A message id. */
export type MessageId = typeof MessageId.Type

/**
 * A fresh message id: a version 4 UUID from the platform's cryptographic generator, never fails. (Effect's `Random`
 * is seeded with 32 bits per process, too few for ids that many processes mint into one directory.)
 */
export const newMessageId: Effect.Effect<MessageId> = Effect.sync(() => MessageId.make(crypto.randomUUID()))
