import { Effect, Either, Option, Schema } from "effect"
import { type AddressPart, parseAddress } from "../domain/Address.js"
import type { AgentRow } from "../domain/AgentRecord.js"
import { Message } from "../domain/Message.js"
import { newMessageId } from "../domain/MessageId.js"
import { InvalidInput, MessageTooLarge, NotAParticipant, RecipientNotFound } from "../errors/bus.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox } from "../services/Mailbox.js"
import { MessageLog } from "../services/MessageLog.js"
import { Nudge } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"
import { Runtimes } from "../services/Runtimes.js"
import { callerId } from "./caller.js"
import { reconcileAgents } from "./listAgents.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"
import { logHorizon, visibleMessage } from "./visibleMessage.js"
import { recordSenderWakes, wakeView } from "./wakeRecords.js"

/** Arguments of `send_message`, as decoded: the address and ids trimmed, "" where not given; the content as sent. */
const SendMessageArgs = Schema.Struct({
  to: Text,
  content: Schema.String,
  from_agent: OptionalText,
  reply_to: OptionalText,
  topic: OptionalText,
  nudge: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  in_reply_to: OptionalText,
  thread_id: OptionalText,
  priority: Schema.optionalWith(Schema.Literal("normal", "urgent"), { default: () => "normal" as const }),
  ack_required: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  ack_notify: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/** Arguments of `send_message`. */
export type SendMessageInput = typeof SendMessageArgs.Encoded

const decodeSendMessage = decodeInput(SendMessageArgs)

const resolveRecipients = (
  to: string,
  parts: ReadonlyArray<AddressPart>,
  sender: string,
  rows: ReadonlyArray<AgentRow>
) => {
  const recipients = new Map<string, AgentRow>()
  const failed: Array<{ to: string; error: string }> = []
  for (const part of parts) {
    switch (part._tag) {
      case "Broadcast":
        rows.filter((row) => row.agent_id !== sender).forEach((row) => recipients.set(row.agent_id, row))
        break
      case "Role": {
        const matching = rows.filter((row) => row.agent_type === part.role && row.agent_id !== sender)
        if (matching.length === 0) {
          failed.push({ to: part.raw, error: `No agents with role '${part.role}' found in registry` })
        }
        matching.forEach((row) => recipients.set(row.agent_id, row))
        break
      }
      case "Agent": {
        const row = rows.find((candidate) => candidate.agent_id === part.agentId)
        if (row) recipients.set(row.agent_id, row)
        else failed.push({ to: part.raw, error: `Recipient '${part.raw}' not found in registry` })
        break
      }
      case "Invalid":
        failed.push({ to: part.raw, error: part.reason })
        break
    }
  }
  if (parts.length === 0) failed.push({ to, error: "Recipient address is empty" })
  else if (recipients.size === 0 && failed.length === 0) {
    failed.push({ to, error: "No other agents are registered to receive a broadcast" })
  }
  return { recipients: [...recipients.values()], failed }
}

/**
 * Sends one message to every recipient of `to` (agent ids, `role:<type>`, `*`, `;`-separated; roles and `*` reach
 * live agents only), atomically per inbox, logs it (thread, priority, recipients; a failed log entry never fails the
 * send), then wakes idle recipients (urgent mail inside the throttle, at most once in 5 s; the wakes reported and
 * recorded); fails when nothing could be delivered (unknown recipients, content empty or too large, inbox full, disk
 * errors) or `in_reply_to` or `thread_id` names a message or thread the sender is no participant of.
 */
export const sendMessage = Effect.fn("bus.sendMessage")(function*(given: SendMessageInput) {
  const input = yield* decodeSendMessage(given)
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const nudge = yield* Nudge
  const runtimes = yield* Runtimes
  const config = yield* BusConfig
  const log = yield* MessageLog
  if (input.content === "") return yield* new InvalidInput({ field: "content", reason: "must not be empty" })
  const bytes = Buffer.byteLength(input.content, "utf8")
  if (bytes > config.maxMessageBytes) return yield* new MessageTooLarge({ bytes, limit: config.maxMessageBytes })
  const sender = yield* callerId("from_agent", input.from_agent)
  // A reply inherits the thread of the message it answers (one its sender may see); a new message starts its own.
  const answered = input.in_reply_to === "" ? undefined : yield* visibleMessage(sender, input.in_reply_to)
  // Naming a thread joins it only for one of its participants: a thread's id is no key to read it by.
  if (
    input.thread_id !== "" && !(yield* log.inThread(input.thread_id, sender)) &&
    (yield* log.thread(input.thread_id, 1)).length > 0
  ) {
    return yield* new NotAParticipant({ agentId: sender, what: `thread '${input.thread_id}'` })
  }
  const parts = parseAddress(input.to)
  const fansOut = parts.some((part) => part._tag === "Broadcast" || part._tag === "Role")
  const rows = fansOut
    ? yield* reconcileAgents()
    : yield* Effect.forEach(
      parts.flatMap((part) => part._tag === "Agent" ? [part.agentId] : []),
      (agentId) => Effect.map(registry.get(agentId), Option.toArray)
    ).pipe(Effect.map((found) => found.flat()))
  const { failed, recipients } = resolveRecipients(input.to, parts, sender, rows)
  if (recipients.length === 0) {
    const known = fansOut ? rows : yield* registry.list
    return yield* new RecipientNotFound({ to: input.to, failures: failed, known: known.map((row) => row.agent_id) })
  }
  // A waiter counts only if it held the inbox before delivery: it then wakes for this message (and may exit before
  // the nudge below looks); one that starts after delivery takes the message for old mail and will not.
  const waiting = !input.nudge
    ? new Set<string>()
    : yield* mailbox.waitersAmong(recipients.map((row) => row.agent_id))
  const id = yield* newMessageId
  const sentAt = yield* mailbox.nextSentAt
  const replyTo = input.reply_to || sender
  const topic = input.topic || null
  const threadId = input.thread_id || answered?.thread_id || id
  const inReplyTo = answered?.message_id ?? null
  const outcomes = yield* mailbox.deliverEach(recipients.map((row) => ({
    agentId: row.agent_id,
    message: new Message({
      id,
      from: sender,
      to: row.agent_id,
      reply_to: replyTo,
      topic,
      thread_id: threadId,
      in_reply_to: inReplyTo,
      priority: input.priority,
      ack_required: input.ack_required,
      content: input.content +
        Option.match(runtimes.get(row.runtime), { onNone: () => "", onSome: (adapter) => adapter.messageSuffix }),
      sent_at: sentAt
    })
  })))
  const delivered = recipients.filter((_, index) => Either.isRight(outcomes[index]!))
  const deliveryFailures = outcomes.flatMap((outcome) => Either.isLeft(outcome) ? [outcome.left] : [])
  if (delivered.length === 0) return yield* Effect.fail(deliveryFailures[0]!)
  yield* Effect.catchAll(
    log.record([{
      message_id: id,
      thread_id: threadId,
      in_reply_to: inReplyTo,
      from: sender,
      topic,
      priority: input.priority,
      ack_required: input.ack_required,
      ack_notify: input.ack_notify,
      sent_at: sentAt,
      content: input.content,
      recipients: delivered.map((row) => row.agent_id)
    }], yield* logHorizon),
    (error) => Effect.logWarning(`message ${id} delivered but not logged: ${error.message}`)
  )
  const nudges = !input.nudge
    ? []
    : yield* Effect.forEach(delivered, (row) => nudge.wake(row, waiting.has(row.agent_id), input.priority), {
      concurrency: 16
    })
  const wakes = nudges.map((outcome, index) => wakeView(delivered[index]!.agent_id, outcome))
  yield* recordSenderWakes(id, wakes)
  const allFailed = [
    ...failed,
    ...deliveryFailures.map((error) => ({ to: "agentId" in error ? error.agentId : input.to, error: error.message }))
  ]
  return {
    message_id: id,
    thread_id: threadId,
    delivered: true,
    nudged: nudges.some((outcome) => outcome.nudged),
    recipients: delivered.map((row) => row.agent_id),
    ...(wakes.length > 0 ? { wakes } : {}),
    ...(allFailed.length > 0 ? { failed: allFailed } : {})
  }
})
