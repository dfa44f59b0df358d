import { Effect, Either, Schema } from "effect"
import { validateAgentId } from "../domain/AgentId.js"
import { InvalidInput } from "../errors/bus.js"
import { Mailbox } from "../services/Mailbox.js"
import { MessageLog } from "../services/MessageLog.js"
import { Registry } from "../services/Registry.js"
import { callerId } from "./caller.js"
import { recipientStatus } from "./messageStatus.js"
import { messageView } from "./threads.js"
import { decodeInput, OptionalText } from "./toolInput.js"
import { loggedFrom, logHorizon } from "./visibleMessage.js"

/** The most results one search returns. */
const maxSearchLimit = 100

/** Arguments of `search_messages`, as decoded; `agent_id` (whose messages) is not a tool argument. */
const SearchArgs = Schema.Struct({
  query: OptionalText,
  limit: Schema.optionalWith(Schema.Number, { default: () => 20 }),
  agent_id: OptionalText
})

/** Arguments of `search_messages`. */
export type SearchMessagesInput = typeof SearchArgs.Encoded

const decodeSearch = decodeInput(SearchArgs)

/**
 * Indexes the inbox files of every registered agent (and the caller) into the log, once per registry: mail that was
 * there before the log existed, or that another implementation delivered. Never fails: a file that cannot be read is
 * left out.
 */
const indexFilesOnce = (caller: string) =>
  Effect.gen(function*() {
    const log = yield* MessageLog
    if (yield* log.filesIndexed) return
    const registry = yield* Registry
    const mailbox = yield* Mailbox
    const agents = new Set([caller, ...(yield* registry.list).map((row) => row.agent_id)])
    const horizon = yield* logHorizon
    for (const agentId of agents) {
      const valid = validateAgentId(agentId)
      if (Either.isLeft(valid)) continue
      const held = yield* Effect.orElseSucceed(mailbox.history(valid.right), () => [])
      yield* log.record(held.map((entry) => loggedFrom(entry.message, [agentId])), horizon)
    }
    yield* log.markFilesIndexed
  })

/**
 * Full-text search over the caller's own messages, sent and received, read and unread: every word must match the
 * content or the topic; best first, at most `limit` (1 to 100, default 20), each with the caller's copy's state
 * (`sent` for its own messages). Fails with InvalidInput (no word, bad limit) or a store error.
 */
export const searchMessages = Effect.fn("bus.searchMessages")(function*(given: SearchMessagesInput) {
  const input = yield* decodeSearch(given)
  const words = input.query.split(/\s+/).filter((word) => word !== "")
  if (words.length === 0) {
    return yield* new InvalidInput({ field: "query", reason: "must hold at least one word to search for" })
  }
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxSearchLimit) {
    return yield* new InvalidInput({ field: "limit", reason: `must be a whole number from 1 to ${maxSearchLimit}` })
  }
  const caller = yield* callerId("agent_id", input.agent_id)
  yield* indexFilesOnce(caller)
  const log = yield* MessageLog
  const hits = yield* log.search(caller, words, input.limit)
  const results = yield* Effect.forEach(hits, (hit) =>
    Effect.gen(function*() {
      const id = hit.message.message_id
      const state = hit.message.recipients.includes(caller)
        ? (yield* recipientStatus(caller, id, [], yield* log.acknowledgements(id))).state
        : "sent"
      return { ...messageView(hit.message), state, rank: hit.rank }
    }))
  return { query: input.query, results }
})
