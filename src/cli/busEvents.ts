/**
 * The live events of a bus: deliveries and reads as the mailboxes tell them (inotify on a file bus, the feed channel on
 * PostgreSQL), wakes from the registry's wake log.
 */
import { Clock, Duration, Effect, PubSub, Queue, Schedule } from "effect"
import { formatMillis } from "../domain/Timestamp.js"
import { type InboxEvent, Mailbox } from "../services/Mailbox.js"
import { Registry } from "../services/Registry.js"

/** A delivery or read as the feed shows it. */
export interface FileEvent {
  readonly event: "delivered" | "read"
  readonly agent_id: string
  readonly message_id: string
  readonly from: string
  readonly topic: string | null
  readonly priority: string
  /** The copy: its file name in the inbox (on PostgreSQL, the same name, the key of its row). */
  readonly file: string
}

/** A wake as the feed shows it. */
export interface WakeEvent {
  readonly event: "wake"
  readonly agent_id: string
  readonly message_id: string
  readonly method: string
  readonly confirmed: boolean
  readonly at: string
}

/** One event of the bus, with the time it was seen. */
export type BusEvent = (FileEvent | WakeEvent) & { readonly at: string }

/** A mailbox event as the feed shows it. */
const fileEvent = (event: InboxEvent): FileEvent => ({
  event: event.event,
  agent_id: event.agentId,
  message_id: event.message.id,
  from: event.message.from,
  topic: event.message.topic,
  priority: event.message.priority,
  file: event.message.file
})

/** How often the wake log is asked for new wakes (one indexed query; the bus dir is never listed). */
const wakePoll = Duration.millis(250)

/**
 * Starts following the bus for the scope: every delivery, read and wake from now on is published; subscribe before
 * acting on what follows. Never fails (a registry or mailbox store that cannot be read only means missed events).
 */
export const followEvents = Effect.gen(function*() {
  const mailbox = yield* Mailbox
  const registry = yield* Registry
  const events = yield* PubSub.unbounded<BusEvent>()
  const inboxEvents = yield* mailbox.followInboxes
  yield* Effect.forkScoped(Effect.forever(Effect.gen(function*() {
    const event = yield* Queue.take(inboxEvents)
    const at = formatMillis(yield* Clock.currentTimeMillis)
    yield* PubSub.publish(events, { ...fileEvent(event), at })
  })))
  let since = formatMillis(yield* Clock.currentTimeMillis)
  const shown = new Set<string>()
  yield* Effect.forkScoped(Effect.repeat(
    Effect.gen(function*() {
      const wakes = yield* Effect.orElseSucceed(registry.wakesSince(since, 500), () => [])
      for (const wake of wakes) {
        const key = `${wake.agentId}\n${wake.messageId}\n${wake.method}\n${wake.at}`
        if (shown.has(key)) continue
        shown.add(key)
        since = wake.at
        yield* PubSub.publish(events, {
          event: "wake",
          agent_id: wake.agentId,
          message_id: wake.messageId,
          method: wake.method,
          confirmed: wake.confirmed,
          at: wake.at
        })
      }
    }),
    Schedule.spaced(wakePoll)
  ))
  return events
})
