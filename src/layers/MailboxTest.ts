import { Clock, Effect, Layer, Option, PubSub, Ref, Stream, SubscriptionRef } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { type Message, messageFileName, priorityOf } from "../domain/Message.js"
import { defaultReadLimit, fitsRead, replyBytes } from "../domain/ReadLimits.js"
import { formatMillis } from "../domain/Timestamp.js"
import { InboxFull } from "../errors/bus.js"
import {
  type Delivery,
  type InboxEvent,
  type Located,
  Mailbox,
  type MailboxShape,
  type Taken
} from "../services/Mailbox.js"
import { makeNextSentAt } from "./sentAtStamps.js"

interface Inbox {
  readonly unread: ReadonlyMap<string, Message>
  /** Claimed and not yet settled: still unread. */
  readonly held: ReadonlyMap<string, Message>
  readonly archived: ReadonlyArray<{ readonly message: Message; readonly readAt: string }>
  /** The ids of archived messages with `ack_required`, not yet acknowledged. */
  readonly awaiting: ReadonlyArray<string>
}

const emptyInbox: Inbox = { unread: new Map(), held: new Map(), archived: [], awaiting: [] }

const pendingOf = (file: string, message: Message) => ({
  file,
  id: message.id,
  from: message.from,
  topic: message.topic,
  priority: priorityOf(message)
})

const withoutKeys = <V>(map: ReadonlyMap<string, V>, keys: ReadonlyArray<string>) => {
  const next = new Map(map)
  keys.forEach((key) => next.delete(key))
  return next
}

/**
 * Builds an in-memory mailbox with the live one's semantics: urgent first then name-ordered claim, exactly-one claim,
 * held until settled, topic filter, read limit and byte budget, unread cap, awaiting-acknowledgement list, a feed of
 * deliveries and reads.
 */
export const make = (options: { readonly maxUnread?: number } = {}) =>
  Effect.gen(function*() {
    const inboxes = yield* SubscriptionRef.make<ReadonlyMap<string, Inbox>>(new Map())
    const waiters = yield* Ref.make<ReadonlySet<string>>(new Set())
    const nextSentAt = yield* makeNextSentAt
    const feed = yield* PubSub.unbounded<InboxEvent>()
    const maxUnread = options.maxUnread ?? 10_000
    const inboxOf = (boxes: ReadonlyMap<string, Inbox>, agentId: string) => boxes.get(agentId) ?? emptyInbox
    const sortedNames = (inbox: Inbox) => [...inbox.unread.keys()].sort()
    const claimOrder = (inbox: Inbox) => {
      const names = sortedNames(inbox)
      const urgent = names.filter((file) => priorityOf(inbox.unread.get(file)!) === "urgent")
      return [...urgent, ...names.filter((file) => !urgent.includes(file))]
    }

    /** Moves the claimed messages out of `unread` (held) until settled: archived when delivered, else unread again. */
    const take = (agentId: AgentId, topic: Option.Option<string>, limit = defaultReadLimit) =>
      Effect.map(
        SubscriptionRef.modify(inboxes, (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          const matching = claimOrder(inbox)
            .map((file) => [file, inbox.unread.get(file)!] as const)
            .filter(([, message]) => Option.isNone(topic) || message.topic === topic.value)
          let used = 0
          let fitting = 0
          while (fitting < matching.length && fitsRead(fitting, used, replyBytes(matching[fitting]![1]), limit)) {
            used += replyBytes(matching[fitting]![1])
            fitting++
          }
          const claimed = matching.slice(0, fitting)
          const files = claimed.map(([file]) => file)
          return [
            { claimed, remaining: matching.length - fitting },
            new Map(boxes).set(agentId, {
              ...inbox,
              unread: withoutKeys(inbox.unread, files),
              held: new Map([...inbox.held, ...claimed])
            })
          ] as const
        }),
        ({ claimed, remaining }): Taken => {
          let settled = false
          return {
            messages: claimed.map(([, message]) => message),
            quarantined: [],
            remaining,
            settle: (delivered) =>
              Effect.suspend(() => {
                if (settled) return Effect.void
                settled = true
                const reads = delivered
                  ? claimed.map(([file, message]): InboxEvent => ({
                    event: "read",
                    agentId,
                    message: pendingOf(file, message)
                  }))
                  : []
                const settling = Effect.flatMap(Clock.currentTimeMillis, (now) =>
                  SubscriptionRef.update(inboxes, (boxes) => {
                    const inbox = inboxOf(boxes, agentId)
                    const messages = claimed.map(([, message]) => message)
                    const held = withoutKeys(inbox.held, claimed.map(([file]) => file))
                    return new Map(boxes).set(
                      agentId,
                      delivered
                        ? {
                          ...inbox,
                          held,
                          archived: [
                            ...inbox.archived,
                            ...messages.map((message) => ({ message, readAt: formatMillis(now) }))
                          ],
                          awaiting: [
                            ...inbox.awaiting,
                            ...messages.filter((message) => message.ack_required === true).map((message) => message.id)
                          ]
                        }
                        : { ...inbox, held, unread: new Map([...inbox.unread, ...claimed]) }
                    )
                  }))
                return Effect.zipRight(settling, PubSub.publishAll(feed, reads))
              })
          }
        }
      )

    const deliver = (agentId: AgentId, message: Message) =>
      Effect.flatten(
        SubscriptionRef.modify(
          inboxes,
          (boxes): readonly [Effect.Effect<void, InboxFull>, ReadonlyMap<string, Inbox>] => {
            const inbox = inboxOf(boxes, agentId)
            if (inbox.unread.size >= maxUnread) {
              return [Effect.fail(new InboxFull({ agentId, unread: inbox.unread.size, limit: maxUnread })), boxes]
            }
            const file = messageFileName(message)
            const unread = new Map(inbox.unread).set(file, message)
            return [
              Effect.asVoid(PubSub.publish(feed, { event: "delivered", agentId, message: pendingOf(file, message) })),
              new Map(boxes).set(agentId, { ...inbox, unread })
            ]
          }
        )
      )

    return {
      nextSentAt,
      ensureInbox: (agentId: AgentId) =>
        SubscriptionRef.update(inboxes, (boxes) => new Map(boxes).set(agentId, inboxOf(boxes, agentId))),
      deliver,
      deliverEach: (deliveries: ReadonlyArray<Delivery>) =>
        Effect.forEach(deliveries, (delivery) => Effect.either(deliver(delivery.agentId, delivery.message))),
      pending: (agentId: AgentId) =>
        Effect.map(SubscriptionRef.get(inboxes), (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          return sortedNames(inbox).map((file) => pendingOf(file, inbox.unread.get(file)!))
        }),
      take,
      claim: (agentId: AgentId, topic: Option.Option<string>, limit?: number) =>
        Effect.gen(function*() {
          const taken = yield* take(agentId, topic, limit)
          yield* taken.settle(true)
          return { messages: taken.messages, quarantined: taken.quarantined, remaining: taken.remaining }
        }),
      awaitNew: (agentId: AgentId, known: ReadonlySet<string>) =>
        inboxes.changes.pipe(
          Stream.map((boxes) => {
            const inbox = inboxOf(boxes, agentId)
            return sortedNames(inbox).filter((file) => !known.has(file)).map((file) =>
              pendingOf(file, inbox.unread.get(file)!)
            )
          }),
          Stream.filter((fresh) => fresh.length > 0),
          Stream.runHead,
          Effect.map(Option.getOrElse(() => []))
        ),
      locate: (agentId: AgentId, messageId: string) =>
        Effect.map(SubscriptionRef.get(inboxes), (boxes): Option.Option<Located> => {
          const inbox = inboxOf(boxes, agentId)
          const unread = [...inbox.unread.values(), ...inbox.held.values()].find((message) => message.id === messageId)
          if (unread) return Option.some({ state: "unread", readAt: Option.none(), message: Option.some(unread) })
          const read = inbox.archived.find((entry) => entry.message.id === messageId)
          return read === undefined
            ? Option.none()
            : Option.some({ state: "read", readAt: Option.some(read.readAt), message: Option.some(read.message) })
        }),
      history: (agentId: AgentId) =>
        Effect.map(SubscriptionRef.get(inboxes), (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          return [
            ...inbox.archived.map((entry) => ({ message: entry.message, state: "read" as const })),
            ...[...inbox.held.values(), ...inbox.unread.values()].map((message) => ({
              message,
              state: "unread" as const
            }))
          ].sort((a, b) => a.message.sent_at < b.message.sent_at ? -1 : 1)
        }),
      awaitingAck: (agentId: AgentId) =>
        Effect.map(SubscriptionRef.get(inboxes), (boxes) => inboxOf(boxes, agentId).awaiting),
      acknowledged: (agentId: AgentId, messageId: string) =>
        SubscriptionRef.update(inboxes, (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          return new Map(boxes).set(agentId, { ...inbox, awaiting: inbox.awaiting.filter((id) => id !== messageId) })
        }),
      followInboxes: PubSub.subscribe(feed),
      holdWaiter: (agentId: AgentId) =>
        Effect.acquireRelease(
          Ref.modify(waiters, (held) => held.has(agentId) ? [false, held] : [true, new Set(held).add(agentId)]),
          (taken) =>
            taken
              ? Ref.update(waiters, (held) => {
                const next = new Set(held)
                next.delete(agentId)
                return next
              })
              : Effect.void
        ),
      hasWaiter: (agentId: AgentId) => Effect.map(Ref.get(waiters), (held) => held.has(agentId)),
      waitersAmong: (agentIds: ReadonlyArray<AgentId>) =>
        Effect.map(Ref.get(waiters), (held) => new Set(agentIds.filter((agentId) => held.has(agentId))))
    } satisfies MailboxShape
  })

/** An in-memory mailbox. */
export const layerTest = Layer.effect(Mailbox, make())

/** An in-memory mailbox refusing deliveries past `maxUnread` unread messages (the default cap when undefined). */
export const layerWith = (maxUnread: number | undefined) =>
  Layer.effect(Mailbox, make(maxUnread === undefined ? {} : { maxUnread }))
