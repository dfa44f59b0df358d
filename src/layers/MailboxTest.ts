import { Clock, Effect, Layer, Option, Ref, Stream, SubscriptionRef } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { type Message, messageFileName } from "../domain/Message.js"
import { defaultReadLimit, fitsRead, replyBytes } from "../domain/ReadLimits.js"
import { formatMicros } from "../domain/Timestamp.js"
import { InboxFull } from "../errors/bus.js"
import { type Delivery, Mailbox, type MailboxShape, type Taken } from "../services/Mailbox.js"

interface Inbox {
  readonly unread: ReadonlyMap<string, Message>
  readonly archived: ReadonlyArray<Message>
}

const emptyInbox: Inbox = { unread: new Map(), archived: [] }

/**
 * Builds an in-memory mailbox with the live one's semantics: name-ordered claim, exactly-one claim, held until settled,
 * topic filter, read limit and byte budget, unread cap.
 */
export const make = (options: { readonly maxUnread?: number } = {}) =>
  Effect.gen(function*() {
    const inboxes = yield* SubscriptionRef.make<ReadonlyMap<string, Inbox>>(new Map())
    const waiters = yield* Ref.make<ReadonlySet<string>>(new Set())
    const lastStamp = yield* Ref.make(0)
    const maxUnread = options.maxUnread ?? 10_000
    const inboxOf = (boxes: ReadonlyMap<string, Inbox>, agentId: string) => boxes.get(agentId) ?? emptyInbox
    const sortedNames = (inbox: Inbox) => [...inbox.unread.keys()].sort()

    /** Moves the claimed messages out of `unread` (held) until settled: archived when delivered, else unread again. */
    const take = (agentId: AgentId, topic: Option.Option<string>, limit = defaultReadLimit) =>
      Effect.map(
        SubscriptionRef.modify(inboxes, (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          const matching = sortedNames(inbox)
            .map((file) => [file, inbox.unread.get(file)!] as const)
            .filter(([, message]) => Option.isNone(topic) || message.topic === topic.value)
          let used = 0
          let fitting = 0
          while (fitting < matching.length && fitsRead(fitting, used, replyBytes(matching[fitting]![1]), limit)) {
            used += replyBytes(matching[fitting]![1])
            fitting++
          }
          const claimed = matching.slice(0, fitting)
          const unread = new Map(inbox.unread)
          claimed.forEach(([file]) => unread.delete(file))
          return [
            { claimed, remaining: matching.length - fitting },
            new Map(boxes).set(agentId, { ...inbox, unread })
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
                return SubscriptionRef.update(inboxes, (boxes) => {
                  const inbox = inboxOf(boxes, agentId)
                  return new Map(boxes).set(
                    agentId,
                    delivered
                      ? { ...inbox, archived: [...inbox.archived, ...claimed.map(([, message]) => message)] }
                      : { ...inbox, unread: new Map([...inbox.unread, ...claimed]) }
                  )
                })
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
            const unread = new Map(inbox.unread).set(messageFileName(message), message)
            return [Effect.void, new Map(boxes).set(agentId, { ...inbox, unread })]
          }
        )
      )

    return {
      nextSentAt: Effect.gen(function*() {
        const nowMicros = (yield* Clock.currentTimeMillis) * 1000
        return formatMicros(
          yield* Ref.modify(lastStamp, (last) => {
            const next = Math.max(nowMicros, last + 1)
            return [next, next]
          })
        )
      }),
      ensureInbox: (agentId: AgentId) =>
        SubscriptionRef.update(inboxes, (boxes) => new Map(boxes).set(agentId, inboxOf(boxes, agentId))),
      deliver,
      deliverEach: (deliveries: ReadonlyArray<Delivery>) =>
        Effect.forEach(deliveries, (delivery) => Effect.either(deliver(delivery.agentId, delivery.message))),
      pending: (agentId: AgentId) =>
        Effect.map(SubscriptionRef.get(inboxes), (boxes) => {
          const inbox = inboxOf(boxes, agentId)
          return sortedNames(inbox).map((file) => {
            const message = inbox.unread.get(file)!
            return { file, id: message.id, from: message.from, topic: message.topic }
          })
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
            return sortedNames(inbox).filter((file) => !known.has(file)).map((file) => {
              const message = inbox.unread.get(file)!
              return { file, id: message.id, from: message.from, topic: message.topic }
            })
          }),
          Stream.filter((fresh) => fresh.length > 0),
          Stream.runHead,
          Effect.map(Option.getOrElse(() => []))
        ),
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
