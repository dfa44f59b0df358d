import { Effect, Either, Option, Schema } from "effect"
import { type AddressPart, parseAddress } from "../domain/Address.js"
import type { AgentRow } from "../domain/AgentRecord.js"
import { Message } from "../domain/Message.js"
import { newMessageId } from "../domain/MessageId.js"
import { InvalidInput, MessageTooLarge, RecipientNotFound } from "../errors/bus.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox } from "../services/Mailbox.js"
import { Nudge } from "../services/Nudge.js"
import { Registry } from "../services/Registry.js"
import { Runtimes } from "../services/Runtimes.js"
import { callerId } from "./caller.js"
import { reconcileAgents } from "./listAgents.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"
import { recordSenderWakes, wakeView } from "./wakeRecords.js"

/** Arguments of `send_message`, as decoded: the address and ids trimmed, "" where not given; the content as sent. */
const SendMessageArgs = Schema.Struct({
  to: Text,
  content: Schema.String,
  from_agent: OptionalText,
  reply_to: OptionalText,
  topic: OptionalText,
  nudge: Schema.optionalWith(Schema.Boolean, { default: () => true })
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
 * live agents only), atomically per inbox, then wakes idle recipients (the wakes reported and recorded); fails when
 * nothing could be delivered
 * (unknown recipients, content empty or too large, inbox full, disk errors).
 */
export const sendMessage = Effect.fn("bus.sendMessage")(function*(given: SendMessageInput) {
  const input = yield* decodeSendMessage(given)
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const nudge = yield* Nudge
  const runtimes = yield* Runtimes
  const config = yield* BusConfig
  if (input.content === "") return yield* new InvalidInput({ field: "content", reason: "must not be empty" })
  const bytes = Buffer.byteLength(input.content, "utf8")
  if (bytes > config.maxMessageBytes) return yield* new MessageTooLarge({ bytes, limit: config.maxMessageBytes })
  const sender = yield* callerId("from_agent", input.from_agent)
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
  const outcomes = yield* mailbox.deliverEach(recipients.map((row) => ({
    agentId: row.agent_id,
    message: new Message({
      id,
      from: sender,
      to: row.agent_id,
      reply_to: replyTo,
      topic,
      content: input.content +
        Option.match(runtimes.get(row.runtime), { onNone: () => "", onSome: (adapter) => adapter.messageSuffix }),
      sent_at: sentAt
    })
  })))
  const delivered = recipients.filter((_, index) => Either.isRight(outcomes[index]!))
  const deliveryFailures = outcomes.flatMap((outcome) => Either.isLeft(outcome) ? [outcome.left] : [])
  if (delivered.length === 0) return yield* Effect.fail(deliveryFailures[0]!)
  const nudges = !input.nudge
    ? []
    : yield* Effect.forEach(delivered, (row) => nudge.wake(row, waiting.has(row.agent_id)), { concurrency: 16 })
  const wakes = nudges.map((outcome, index) => wakeView(delivered[index]!.agent_id, outcome))
  yield* recordSenderWakes(id, wakes)
  const allFailed = [
    ...failed,
    ...deliveryFailures.map((error) => ({ to: "agentId" in error ? error.agentId : input.to, error: error.message }))
  ]
  return {
    message_id: id,
    delivered: true,
    nudged: nudges.some((outcome) => outcome.nudged),
    recipients: delivered.map((row) => row.agent_id),
    ...(wakes.length > 0 ? { wakes } : {}),
    ...(allFailed.length > 0 ? { failed: allFailed } : {})
  }
})
