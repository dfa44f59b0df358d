import { Effect, Either, Option, Schema } from "effect"
import { validateAgentId } from "../domain/AgentId.js"
import { type DeliveryState, deliveryState } from "../domain/DeliveryState.js"
import type { WakeMethod, WakeRecord } from "../domain/Wake.js"
import { InvalidInput } from "../errors/bus.js"
import { Mailbox } from "../services/Mailbox.js"
import { type Acknowledgement, MessageLog } from "../services/MessageLog.js"
import { Registry } from "../services/Registry.js"
import { callerId } from "./caller.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"
import { visibleMessage } from "./visibleMessage.js"

/** Arguments of `message_status`, as decoded; `agent_id` (whose view) is not a tool argument. */
const MessageStatusArgs = Schema.Struct({ message_id: Text, agent_id: OptionalText })

/** Arguments of `message_status`. */
export type MessageStatusInput = typeof MessageStatusArgs.Encoded

const decodeMessageStatus = decodeInput(MessageStatusArgs)

/** One recipient's part of a message's path: delivered, woken, read, acknowledged. */
export interface RecipientStatus {
  readonly agent_id: string
  readonly state: DeliveryState
  readonly wake: WakeMethod
  readonly woken_at?: string
  readonly read_at?: string
  readonly acknowledged_at?: string
  readonly note?: string
}

/** The methods that count as having woken a recipient (a typed nudge only once a turn was seen to start). */
const wokeBy = (wake: WakeRecord) =>
  wake.method === "rewake" || wake.method === "daemon" || wake.method === "hook-context" ||
  (wake.method === "nudge" && wake.confirmed)

/**
 * One recipient's status for a message, from its inbox files, its registration, and the wakes and acknowledgements
 * given; fails with a store error.
 */
export const recipientStatus = (
  agentId: string,
  messageId: string,
  wakes: ReadonlyArray<WakeRecord>,
  acks: ReadonlyArray<Acknowledgement>
) =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox
    const registry = yield* Registry
    const valid = validateAgentId(agentId)
    const located = Either.isRight(valid) ? yield* mailbox.locate(valid.right, messageId) : Option.none()
    const registered = Either.isRight(valid) && Option.isSome(yield* registry.get(valid.right))
    const ack = acks.find((entry) => entry.agent_id === agentId)
    const woken = wakes.find((wake) => wake.agentId === agentId && wokeBy(wake))
    const state = deliveryState({
      file: Option.match(located, { onNone: () => "missing" as const, onSome: (copy) => copy.state }),
      acknowledged: ack !== undefined,
      registered
    })
    const readAt = Option.flatMap(located, (copy) => copy.readAt)
    return {
      agent_id: agentId,
      state,
      wake: woken?.method ?? "none",
      ...(woken === undefined ? {} : { woken_at: woken.at }),
      ...(Option.isSome(readAt) ? { read_at: readAt.value } : {}),
      ...(ack === undefined ? {} : { acknowledged_at: ack.at, ...(ack.note === null ? {} : { note: ack.note }) })
    } satisfies RecipientStatus
  })

/**
 * The path of one message to each recipient (state, how and when it was woken, read, acknowledged); only its sender
 * and its recipients may ask. Fails with InvalidInput (no id), MessageNotFound, NotAParticipant, or a store error.
 */
export const messageStatus = Effect.fn("bus.messageStatus")(function*(given: MessageStatusInput) {
  const input = yield* decodeMessageStatus(given)
  if (input.message_id === "") {
    return yield* new InvalidInput({
      field: "message_id",
      reason: "required: the id send_message or get_messages gave"
    })
  }
  const caller = yield* callerId("agent_id", input.agent_id)
  const message = yield* visibleMessage(caller, input.message_id)
  const log = yield* MessageLog
  const registry = yield* Registry
  const wakes = yield* registry.wakesFor(message.message_id)
  const acks = yield* log.acknowledgements(message.message_id)
  // A recipient sees its own part; the sender sees everyone's.
  const shown = message.from === caller ? message.recipients : [caller]
  const recipients = yield* Effect.forEach(
    shown,
    (agentId) => recipientStatus(agentId, message.message_id, wakes, acks)
  )
  return {
    message_id: message.message_id,
    thread_id: message.thread_id,
    from: message.from,
    sent_at: message.sent_at,
    topic: message.topic,
    priority: message.priority,
    ack_required: message.ack_required,
    recipients
  }
})
