import { Clock, Duration, Effect, Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { type Message, priorityOf, threadOf } from "../domain/Message.js"
import { formatMillis } from "../domain/Timestamp.js"
import { MessageNotFound, NotAParticipant } from "../errors/bus.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox } from "../services/Mailbox.js"
import { type LoggedMessage, MessageLog } from "../services/MessageLog.js"

/** A message read from an inbox file as the log keeps it, delivered to `recipients`. */
export const loggedFrom = (message: Message, recipients: ReadonlyArray<string>): LoggedMessage => ({
  message_id: message.id,
  thread_id: threadOf(message),
  in_reply_to: message.in_reply_to ?? null,
  from: message.from,
  topic: message.topic,
  priority: priorityOf(message),
  ack_required: message.ack_required === true,
  ack_notify: true,
  sent_at: message.sent_at,
  content: message.content,
  recipients
})

/** The oldest send time the log still keeps (the archive TTL ago). */
export const logHorizon = Effect.gen(function*() {
  const ttl = (yield* BusConfig).archiveTtl
  return formatMillis((yield* Clock.currentTimeMillis) - Duration.toMillis(ttl))
})

/**
 * Message `messageId` as `caller` may see it: the log's entry when the caller sent or received it, else the caller's
 * own copy (a message the log does not know, such as one the Python helioy-bus wrote, or one delivered to it that the
 * log lists under others). Fails with MessageNotFound when neither exists, NotAParticipant when the log knows it but
 * the caller is neither its sender nor a recipient.
 */
export const visibleMessage = (caller: AgentId, messageId: string) =>
  Effect.gen(function*() {
    const log = yield* MessageLog
    const mailbox = yield* Mailbox
    const logged = yield* log.find(messageId)
    if (Option.isSome(logged) && (logged.value.from === caller || logged.value.recipients.includes(caller))) {
      return logged.value
    }
    const own = Option.flatMap(yield* mailbox.locate(caller, messageId), (copy) => copy.message)
    if (Option.isSome(own)) {
      return Option.match(logged, {
        onNone: () => loggedFrom(own.value, [caller]),
        onSome: (entry) => ({ ...entry, recipients: [...entry.recipients, caller] })
      })
    }
    if (Option.isSome(logged)) return yield* new NotAParticipant({ agentId: caller, what: `message '${messageId}'` })
    return yield* new MessageNotFound({ messageId })
  })
