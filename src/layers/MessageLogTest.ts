import { Effect, Layer, Option, Ref } from "effect"
import { type Acknowledgement, type LoggedMessage, MessageLog, type MessageLogShape } from "../services/MessageLog.js"

interface State {
  readonly messages: ReadonlyMap<string, LoggedMessage>
  readonly acks: ReadonlyMap<string, ReadonlyArray<Acknowledgement>>
  readonly indexed: boolean
}

const involves = (message: LoggedMessage, agentId: string) =>
  message.from === agentId || message.recipients.includes(agentId)

const bySend = (a: LoggedMessage, b: LoggedMessage) => a.sent_at < b.sent_at ? -1 : a.sent_at > b.sent_at ? 1 : 0

/** How well a message matches lowercase words: occurrences over its length, negated (lower is better, as bm25). */
const score = (message: LoggedMessage, words: ReadonlyArray<string>): number | undefined => {
  const text = `${message.topic ?? ""} ${message.content}`.toLowerCase()
  let hits = 0
  for (const word of words) {
    const count = text.split(word).length - 1
    if (count === 0) return undefined
    hits += count
  }
  return -hits / Math.max(1, text.length)
}

/** Builds an in-memory message log with the live one's rules (recipients merged, one acknowledgement each). */
export const make = Effect.gen(function*() {
  const state = yield* Ref.make<State>({ messages: new Map(), acks: new Map(), indexed: false })
  return {
    record: (entries, forgetBefore) =>
      Ref.update(state, (current) => {
        const messages = new Map(current.messages)
        for (const entry of entries) {
          const known = messages.get(entry.message_id)
          messages.set(
            entry.message_id,
            known === undefined
              ? entry
              : { ...known, recipients: [...new Set([...known.recipients, ...entry.recipients])] }
          )
        }
        const acks = new Map(current.acks)
        for (const [id, message] of messages) {
          if (message.sent_at >= forgetBefore) continue
          messages.delete(id)
          acks.delete(id)
        }
        return { ...current, messages, acks }
      }),
    known: (messageIds) =>
      Effect.map(Ref.get(state), (current) => new Set(messageIds.filter((id) => current.messages.has(id)))),
    find: (messageId) => Effect.map(Ref.get(state), (current) => Option.fromNullable(current.messages.get(messageId))),
    recent: (limit) =>
      Effect.map(Ref.get(state), (current) => [...current.messages.values()].sort(bySend).reverse().slice(0, limit)),
    thread: (threadId, limit) =>
      Effect.map(
        Ref.get(state),
        (current) =>
          [...current.messages.values()].filter((message) => message.thread_id === threadId).sort(bySend).slice(
            0,
            limit
          )
      ),
    inThread: (threadId, agentId) =>
      Effect.map(
        Ref.get(state),
        (current) =>
          [...current.messages.values()].some((message) => message.thread_id === threadId && involves(message, agentId))
      ),
    acknowledge: (messageId, acknowledgement) =>
      Ref.modify(state, (current) => {
        const acks = current.acks.get(messageId) ?? []
        if (acks.some((ack) => ack.agent_id === acknowledgement.agent_id)) return [false, current]
        return [true, { ...current, acks: new Map(current.acks).set(messageId, [...acks, acknowledgement]) }]
      }),
    acknowledgements: (messageId) => Effect.map(Ref.get(state), (current) => current.acks.get(messageId) ?? []),
    search: (agentId, words, limit) =>
      Effect.map(Ref.get(state), (current) => {
        const lower = words.map((word) => word.toLowerCase())
        return [...current.messages.values()]
          .filter((message) => involves(message, agentId))
          .flatMap((message) => {
            const rank = score(message, lower)
            return rank === undefined ? [] : [{ message, rank }]
          })
          .sort((a, b) => a.rank - b.rank)
          .slice(0, limit)
      }),
    filesIndexed: Effect.map(Ref.get(state), (current) => current.indexed),
    markFilesIndexed: Ref.update(state, (current) => ({ ...current, indexed: true }))
  } satisfies MessageLogShape
})

/** An in-memory message log. */
export const layerTest = Layer.effect(MessageLog, make)
