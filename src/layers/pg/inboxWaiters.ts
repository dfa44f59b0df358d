/**
 * Waking and waiters of PostgreSQL inboxes: `LISTEN` on a recipient's channel (a delivery notifies it at commit), and
 * the one mail waiter of an agent as a session-level advisory lock, visible to every host in `pg_locks`.
 */
import { Effect, Queue } from "effect"
import type { Pool } from "pg"
import { takeSession } from "./pgSession.js"

/** Wakes on notifications of one channel. */
export interface ChannelListener {
  /**
   * Waits for the next notification since the last call (or since listening began); never returns once the session is
   * lost (the caller's re-scan covers that).
   */
  readonly next: Effect.Effect<void>
}

/**
 * Listens on `channel` for the scope, on a session of its own; when no session can be had, `next` never returns (the
 * caller's re-scan finds the mail instead).
 */
export const listenOn = (pool: Pool, channel: string) =>
  Effect.gen(function*() {
    const woken = yield* Queue.sliding<boolean>(1)
    const session = yield* Effect.acquireRelease(
      Effect.option(takeSession(pool)),
      (taken) => taken._tag === "Some" ? taken.value.release(true) : Effect.void
    )
    if (session._tag === "None") return { next: Effect.never } satisfies ChannelListener
    const { client } = session.value
    const onNotification = (notice: { readonly channel: string }) => {
      if (notice.channel === channel) Queue.unsafeOffer(woken, true)
    }
    const onLost = () => Queue.unsafeOffer(woken, false)
    client.on("notification", onNotification)
    client.on("error", onLost)
    client.on("end", onLost)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        client.off("notification", onNotification)
        client.off("error", onLost)
        client.off("end", onLost)
      })
    )
    const listening = yield* Effect.either(session.value.query(`LISTEN "${channel}"`))
    if (listening._tag === "Left") return { next: Effect.never } satisfies ChannelListener
    let lost = false
    return {
      next: Effect.suspend(() =>
        lost ? Effect.never : Effect.flatMap(Queue.take(woken), (alive) => {
          if (!alive) lost = true
          return Effect.void
        })
      )
    } satisfies ChannelListener
  })

/**
 * Takes the advisory lock `key` on a session held for the scope; false (and no session held) when another session
 * holds it or the server cannot be reached.
 */
export const holdLock = (pool: Pool, key: readonly [number, number]) =>
  Effect.gen(function*() {
    const session = yield* Effect.option(takeSession(pool))
    if (session._tag === "None") return false
    const taken = yield* Effect.either(
      session.value.query<{ readonly held: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS held`, key)
    )
    if (taken._tag === "Left" || taken.right[0]?.held !== true) {
      yield* session.value.release(taken._tag === "Left")
      return false
    }
    yield* Effect.addFinalizer(() =>
      Effect.zipRight(
        Effect.ignore(session.value.query(`SELECT pg_advisory_unlock($1, $2)`, key)),
        session.value.release()
      )
    )
    return true
  })

/** The statement that tells which of several advisory lock keys (`$1` the first halves, `$2` the second) are held. */
export const heldLocksQuery = `SELECT classid::int8 AS a, objid::int8 AS b FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND objsubid = 2
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND (classid, objid) IN (SELECT (k.a)::oid, (k.b)::oid FROM unnest($1::int4[], $2::int4[]) AS k(a, b))`
