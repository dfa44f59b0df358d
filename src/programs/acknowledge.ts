import { Clock, Effect, Schema } from "effect"
import { formatMillis } from "../domain/Timestamp.js"
import { InvalidInput, NotAParticipant } from "../errors/bus.js"
import { Mailbox } from "../services/Mailbox.js"
import { MessageLog } from "../services/MessageLog.js"
import { callerId } from "./caller.js"
import { sendMessage } from "./sendMessage.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"
import { logHorizon, visibleMessage } from "./visibleMessage.js"

/** Arguments of `acknowledge_message`, as decoded; `agent_id` (who acknowledges) is not a tool argument. */
const AcknowledgeArgs = Schema.Struct({ message_id: Text, note: OptionalText, agent_id: OptionalText })

/** Arguments of `acknowledge_message`. */
export type AcknowledgeInput = typeof AcknowledgeArgs.Encoded

const decodeAcknowledge = decodeInput(AcknowledgeArgs)

/** The content of the `ack` message a sender gets. */
const ackContent = (messageId: string, note: string) =>
  note === "" ? `Acknowledged message ${messageId}.` : `Acknowledged message ${messageId}: ${note}`

/**
 * A recipient acknowledges a message: recorded once (a second acknowledgement changes nothing and tells no one), the
 * message leaves its awaiting list, and the sender is told by a bus message with topic `ack` (in reply to it) unless
 * the sender opted out or has left the bus. Fails with InvalidInput (no id), MessageNotFound, NotAParticipant (the
 * caller is not a recipient), or a store error.
 */
export const acknowledgeMessage = Effect.fn("bus.acknowledgeMessage")(function*(given: AcknowledgeInput) {
  const input = yield* decodeAcknowledge(given)
  if (input.message_id === "") {
    return yield* new InvalidInput({ field: "message_id", reason: "required: the id of a message you received" })
  }
  const caller = yield* callerId("agent_id", input.agent_id)
  const message = yield* visibleMessage(caller, input.message_id)
  if (!message.recipients.includes(caller)) {
    return yield* new NotAParticipant({ agentId: caller, what: `acknowledge message '${message.message_id}'` })
  }
  const log = yield* MessageLog
  const mailbox = yield* Mailbox
  const at = formatMillis(yield* Clock.currentTimeMillis)
  // A message the log did not know (the Python helioy-bus wrote it) is logged now, so that its status shows the ack.
  yield* log.record([message], yield* logHorizon)
  const first = yield* log.acknowledge(message.message_id, { agent_id: caller, at, note: input.note || null })
  yield* mailbox.acknowledged(caller, message.message_id)
  const acknowledgedAt = first
    ? at
    : (yield* log.acknowledgements(message.message_id)).find((ack) => ack.agent_id === caller)?.at ?? at
  const notify = first && message.ack_notify && message.from !== caller
  const told = notify
    ? yield* sendMessage({
      to: message.from,
      from_agent: caller,
      topic: "ack",
      in_reply_to: message.message_id,
      content: ackContent(message.message_id, input.note)
    }).pipe(Effect.as(true), Effect.orElseSucceed(() => false))
    : false
  return {
    message_id: message.message_id,
    acknowledged: true,
    acknowledged_at: acknowledgedAt,
    first,
    sender_notified: told
  }
})
