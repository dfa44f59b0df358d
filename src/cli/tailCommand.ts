/** `helioy-bus tail`: deliveries and reads from inotify on the inboxes, wakes from the registry's wake log. */
import { Clock, Console, Duration, Effect, Queue, Schedule } from "effect"
import { formatMillis } from "../domain/Timestamp.js"
import { BusLive } from "../layers/AppLive.js"
import { BusDir } from "../services/BusDir.js"
import { Registry } from "../services/Registry.js"
import { safeFeedLine } from "./humanOutput.js"
import { type FileEvent, watchInboxes } from "./tailFeed.js"

/** A wake as the feed shows it. */
interface WakeEvent {
  readonly event: "wake"
  readonly agent_id: string
  readonly message_id: string
  readonly method: string
  readonly confirmed: boolean
  readonly at: string
}

type FeedEvent = FileEvent | WakeEvent

/** How often the wake log is asked for new wakes (one indexed query; the bus dir is never listed). */
const wakePoll = Duration.millis(250)

/**
 * Follows the bus until interrupted (Ctrl-C): each delivery, read and wake as a line (a JSON line with `json`),
 * optionally of one agent and one topic (a wake counts for a topic when its message was seen with it). Fails only
 * when the bus dir or the registry cannot be opened.
 */
export const followBus = (options: { readonly agent: string; readonly topic: string; readonly json: boolean }) =>
  Effect.gen(function*() {
    const busDir = yield* BusDir
    const registry = yield* Registry
    const events = yield* Queue.unbounded<FeedEvent>()
    const topicOf = new Map<string, string | null>()
    yield* Effect.acquireRelease(
      Effect.sync(() => watchInboxes(busDir.tree, busDir.inboxRoot, (event) => Queue.unsafeOffer(events, event))),
      (stop) => Effect.sync(stop)
    )
    // On stderr, so that stdout holds only events: from here on nothing delivered is missed.
    yield* Console.error(`following ${busDir.root} (Ctrl-C to stop)`)
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
          yield* Queue.offer(events, {
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
    const wanted = (event: FeedEvent) =>
      (options.agent === "" || event.agent_id === options.agent) &&
      (options.topic === "" || (event.event === "wake" ? topicOf.get(event.message_id) : event.topic) === options.topic)
    for (;;) {
      const event = yield* Queue.take(events)
      if (event.event !== "wake") topicOf.set(event.message_id, event.topic)
      if (!wanted(event)) continue
      const at = event.event === "wake" ? event.at : formatMillis(yield* Clock.currentTimeMillis)
      yield* Console.log(options.json ? JSON.stringify({ ...event, at }) : safeFeedLine(event))
    }
  }).pipe(
    Effect.scoped,
    Effect.provide(BusLive),
    Effect.catchAll((error) =>
      Effect.zipRight(
        Console.error(`error: ${error.message}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )
