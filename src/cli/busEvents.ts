/** The live events of a bus: deliveries and reads from inotify on the inboxes, wakes from the registry's wake log. */
import { Clock, Duration, Effect, PubSub, Schedule } from "effect"
import { formatMillis } from "../domain/Timestamp.js"
import { BusDir } from "../services/BusDir.js"
import { Registry } from "../services/Registry.js"
import { type FileEvent, watchInboxes } from "./tailFeed.js"

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

/** How often the wake log is asked for new wakes (one indexed query; the bus dir is never listed). */
const wakePoll = Duration.millis(250)

/**
 * Starts following the bus for the scope: every delivery, read and wake from now on is published; subscribe before
 * acting on what follows. Never fails (a registry that cannot be read only means no wake events).
 */
export const followEvents = Effect.gen(function*() {
  const busDir = yield* BusDir
  const registry = yield* Registry
  const events = yield* PubSub.unbounded<BusEvent>()
  yield* Effect.acquireRelease(
    Effect.sync(() =>
      watchInboxes(
        busDir.tree,
        busDir.inboxRoot,
        // A callback of fs.watch, outside any fiber: publishing to an unbounded PubSub never waits.
        (event) => Effect.runSync(PubSub.publish(events, { ...event, at: formatMillis(Date.now()) }))
      )
    ),
    (stop) => Effect.sync(stop)
  )
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
