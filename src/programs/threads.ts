import { Effect, Schema } from "effect"
import { InvalidInput, NotAParticipant } from "../errors/bus.js"
import { type LoggedMessage, MessageLog } from "../services/MessageLog.js"
import { callerId } from "./caller.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"

/** The most messages one `get_thread` returns. */
const maxThreadLimit = 1000

/** Arguments of `get_thread`, as decoded; `agent_id` (whose view) is not a tool argument. */
const GetThreadArgs = Schema.Struct({
  thread_id: Text,
  limit: Schema.optionalWith(Schema.Number, { default: () => 100 }),
  agent_id: OptionalText
})

/** Arguments of `get_thread`. */
export type GetThreadInput = typeof GetThreadArgs.Encoded

const decodeGetThread = decodeInput(GetThreadArgs)

/** A logged message as the thread and search tools show it. */
export const messageView = (message: LoggedMessage) => ({
  message_id: message.message_id,
  thread_id: message.thread_id,
  in_reply_to: message.in_reply_to,
  from: message.from,
  to: message.recipients,
  topic: message.topic,
  priority: message.priority,
  ack_required: message.ack_required,
  sent_at: message.sent_at,
  content: message.content
})

/**
 * The messages of a thread, read and unread, oldest first, at most `limit` (1 to 1000, default 100); claims nothing.
 * Only a participant (the sender or a recipient of one of its messages) may read it. Fails with InvalidInput (no id,
 * bad limit, unknown thread), NotAParticipant, or a store error.
 */
export const getThread = Effect.fn("bus.getThread")(function*(given: GetThreadInput) {
  const input = yield* decodeGetThread(given)
  if (input.thread_id === "") {
    return yield* new InvalidInput({ field: "thread_id", reason: "required: the thread_id send_message returned" })
  }
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxThreadLimit) {
    return yield* new InvalidInput({ field: "limit", reason: `must be a whole number from 1 to ${maxThreadLimit}` })
  }
  const caller = yield* callerId("agent_id", input.agent_id)
  const log = yield* MessageLog
  if (!(yield* log.inThread(input.thread_id, caller))) {
    const known = (yield* log.thread(input.thread_id, 1)).length > 0
    if (known) return yield* new NotAParticipant({ agentId: caller, what: `thread '${input.thread_id}'` })
    return yield* new InvalidInput({
      field: "thread_id",
      reason:
        `no thread '${input.thread_id}' is known (or it is older than the archive TTL); use a thread_id that send_message, get_messages or search_messages showed`
    })
  }
  const messages = yield* log.thread(input.thread_id, input.limit)
  return { thread_id: input.thread_id, messages: messages.map(messageView) }
})
