/** `helioy-bus tail`: the bus's live events as lines. */
import { Console, Effect, Option, PubSub, Queue, Redacted } from "effect"
import { BusLive } from "../layers/AppLive.js"
import { maskedUrl } from "../layers/pg/busUrl.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir } from "../services/BusDir.js"
import { type BusEvent, followEvents } from "./busEvents.js"
import { safeFeedLine } from "./humanOutput.js"

/**
 * Follows the bus until interrupted (Ctrl-C): each delivery, read and wake as a line (a JSON line with `json`),
 * optionally of one agent and one topic (a wake counts for a topic when its message was seen with it), on a file bus
 * or a PostgreSQL bus. Fails only when the bus dir or the registry cannot be opened.
 */
export const followBus = (options: { readonly agent: string; readonly topic: string; readonly json: boolean }) =>
  Effect.gen(function*() {
    const events = yield* PubSub.subscribe(yield* followEvents)
    // On stderr, so that stdout holds only events: from here on nothing delivered is missed.
    const { busUrl, pgSchema } = yield* BusConfig
    const followed = Option.isSome(busUrl)
      ? `${maskedUrl(Redacted.value(busUrl.value))} (schema ${pgSchema})`
      : (yield* BusDir).root
    yield* Console.error(`following ${followed} (Ctrl-C to stop)`)
    const topicOf = new Map<string, string | null>()
    const wanted = (event: BusEvent) =>
      (options.agent === "" || event.agent_id === options.agent) &&
      (options.topic === "" || (event.event === "wake" ? topicOf.get(event.message_id) : event.topic) === options.topic)
    for (;;) {
      const event = yield* Queue.take(events)
      if (event.event !== "wake") topicOf.set(event.message_id, event.topic)
      if (wanted(event)) yield* Console.log(options.json ? JSON.stringify(event) : safeFeedLine(event))
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
