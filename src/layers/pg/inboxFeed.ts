/**
 * Following the PostgreSQL mailboxes: a delivery and a claim's archiving each `NOTIFY` the bus's feed channel when they
 * commit, naming the copy (its recipient and file); a follower `LISTEN`s on it and reads the copies it names by their
 * primary key, so the table is never scanned.
 */
import { Chunk, Deferred, Duration, Effect, Option, Queue, Schema } from "effect"
import type { InboxEvent } from "../../services/Mailbox.js"
import { FeedNotice } from "./feedNotice.js"
import { isUrgent } from "./inboxClaims.js"
import type { PgBusShape } from "./PgBus.js"
import { takeSession } from "./pgSession.js"

const decodeNotice = Schema.decodeUnknownOption(FeedNotice)

/** How long a follower whose session was lost (or never opened) waits before it listens again. */
const relistenAfter = Duration.seconds(1)

/** The most copies read by one query. */
const batchSize = 500

interface CopyRow {
  readonly recipient: string
  readonly file: string
  readonly id: string
  readonly sender: string
  readonly topic: string | null
  readonly urgent: boolean
}

/** The copies named by the keys (`$1` recipients, `$2` files), by primary key. */
const copiesQuery = `SELECT recipient, file, id, sender, topic, ${isUrgent} AS urgent FROM messages
  WHERE (recipient, file) IN (SELECT k.recipient, k.file FROM unnest($1::text[], $2::text[]) AS k(recipient, file))`

/**
 * The PostgreSQL mailboxes' `followInboxes`: listens on the feed channel (on a session of its own, listening again
 * after a lost session; what commits meanwhile is missed) and offers each notified event, with its copy read back, to
 * the queue returned once the first `LISTEN` was answered (or could not be made). Never fails: a copy that cannot be
 * read back is left out.
 */
export const followCopies = (bus: PgBusShape) =>
  Effect.gen(function*() {
    const events = yield* Effect.acquireRelease(Queue.unbounded<InboxEvent>(), (queue) => Queue.shutdown(queue))
    const notices = yield* Effect.acquireRelease(
      Queue.unbounded<typeof FeedNotice.Type>(),
      (queue) => Queue.shutdown(queue)
    )
    const started = yield* Deferred.make<void>()

    /** Listens until the session is lost; fails when it cannot be had or the `LISTEN` fails. */
    const listen = Effect.scoped(Effect.gen(function*() {
      const session = yield* Effect.acquireRelease(takeSession(bus.pool), (taken) => taken.release(true))
      const lost = yield* Deferred.make<void>()
      const onNotification = (notice: { readonly channel: string; readonly payload?: string | undefined }) => {
        if (notice.channel !== bus.feedChannel) return
        const decoded = decodeNotice(notice.payload)
        if (Option.isSome(decoded)) Queue.unsafeOffer(notices, decoded.value)
      }
      const onLost = () => Deferred.unsafeDone(lost, Effect.void)
      session.client.on("notification", onNotification)
      session.client.on("error", onLost)
      session.client.on("end", onLost)
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          session.client.off("notification", onNotification)
          session.client.off("error", onLost)
          session.client.off("end", onLost)
        })
      )
      yield* session.query(`LISTEN "${bus.feedChannel}"`)
      yield* Deferred.succeed(started, undefined)
      yield* Deferred.await(lost)
    }))

    /** Reads back the copies of the notices waiting (the first awaited) and offers their events in notified order. */
    const publish = Effect.gen(function*() {
      const batch = [
        yield* Queue.take(notices),
        ...Chunk.toReadonlyArray(yield* Queue.takeUpTo(notices, batchSize - 1))
      ]
      const rows = yield* bus.sql.unsafe<CopyRow>(copiesQuery, [
        batch.map(([, recipient]) => recipient),
        batch.map(([, , file]) => file)
      ]).pipe(Effect.orElseSucceed((): ReadonlyArray<CopyRow> => []))
      const byKey = new Map(rows.map((row) => [`${row.recipient}\n${row.file}`, row]))
      for (const [event, agentId, file] of batch) {
        const row = byKey.get(`${agentId}\n${file}`)
        if (row === undefined) continue
        yield* Queue.offer(events, {
          event,
          agentId,
          message: {
            file,
            id: row.id,
            from: row.sender,
            topic: row.topic,
            priority: row.urgent ? "urgent" : "normal"
          }
        })
      }
    })

    yield* Effect.forkScoped(Effect.forever(
      Effect.ignore(listen).pipe(
        Effect.zipRight(Deferred.succeed(started, undefined)),
        Effect.zipRight(Effect.sleep(relistenAfter))
      )
    ))
    yield* Effect.forkScoped(Effect.forever(publish))
    yield* Deferred.await(started)
    return events as Queue.Dequeue<InboxEvent>
  })
