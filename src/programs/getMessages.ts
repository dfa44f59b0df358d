import { Effect, Option, Schema } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import type { Message } from "../domain/Message.js"
import { defaultReadLimit, readLimitProblem } from "../domain/ReadLimits.js"
import { InvalidInput } from "../errors/bus.js"
import { Mailbox } from "../services/Mailbox.js"
import { MessageLog } from "../services/MessageLog.js"
import { callerId } from "./caller.js"
import { decodeInput, OptionalText } from "./toolInput.js"
import { loggedFrom, logHorizon } from "./visibleMessage.js"

/** Arguments of `get_messages`, as decoded: text trimmed, "" where not given. */
const GetMessagesArgs = Schema.Struct({
  agent_id: OptionalText,
  topic: OptionalText,
  /** The most messages to return (1 to 1000, default 100); the reply also stays within a byte budget. */
  limit: Schema.optionalWith(Schema.Number, { default: () => defaultReadLimit })
})

/** Arguments of `get_messages`. */
export type GetMessagesInput = typeof GetMessagesArgs.Encoded

const decodeGetMessages = decodeInput(GetMessagesArgs)

/** Logs the messages read that the log does not know (another implementation delivered them); never fails. */
const logUnknown = (agentId: AgentId, messages: ReadonlyArray<Message>) =>
  Effect.gen(function*() {
    if (messages.length === 0) return
    const log = yield* MessageLog
    const known = yield* log.known(messages.map((message) => message.id))
    const unknown = messages.filter((message) => !known.has(message.id))
    if (unknown.length > 0) {
      yield* log.record(unknown.map((message) => loggedFrom(message, [agentId])), yield* logHorizon)
    }
  }).pipe(Effect.catchAll((error) => Effect.logWarning(`messages read by ${agentId} not logged: ${error.message}`)))

/**
 * Claims the unread messages of an agent (the caller by default), urgent first, then oldest first, at most `limit` and
 * a byte budget,
 * and holds them until the caller settles them: archived once handed to the reader, or unread again; others of
 * another topic, and those past the limit, stay unread (`remaining` counts them). Fails with InvalidInput for a bad
 * id or limit, MailboxUnavailable when the inbox cannot be used.
 */
export const takeMessages = Effect.fn("bus.takeMessages")(function*(given: GetMessagesInput) {
  const input = yield* decodeGetMessages(given)
  const mailbox = yield* Mailbox
  const limit = input.limit
  const problem = readLimitProblem(limit)
  if (problem !== undefined) return yield* new InvalidInput({ field: "limit", reason: problem })
  const id = yield* callerId("agent_id", input.agent_id)
  const topic = input.topic === "" ? Option.none() : Option.some(input.topic)
  const taken = yield* mailbox.take(id, topic, limit)
  for (const file of taken.quarantined) {
    yield* Effect.logWarning(`quarantined ${file.file} in the inbox of ${id}: ${file.reason}`)
  }
  yield* logUnknown(id, taken.messages)
  return taken
})

/**
 * Claims and returns the unread messages of an agent (the caller by default), oldest first, as `takeMessages` does,
 * settled at once.
 */
export const getMessages = Effect.fn("bus.getMessages")(function*(input: GetMessagesInput) {
  const taken = yield* takeMessages(input)
  yield* taken.settle(true)
  return { messages: taken.messages, quarantined: taken.quarantined, remaining: taken.remaining }
})
