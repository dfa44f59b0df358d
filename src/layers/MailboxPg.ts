import { Clock, Duration, Effect, Layer, Ref, Schema } from "effect"
import { type AgentId, agentIdProblem } from "../domain/AgentId.js"
import { messageFileName, MessageFromJson } from "../domain/Message.js"
import { defaultReadLimit, replyBytes } from "../domain/ReadLimits.js"
import { InboxFull } from "../errors/bus.js"
import { MailboxUnavailable } from "../errors/stores.js"
import { BusConfig } from "../services/BusConfig.js"
import { Mailbox, type MailboxShape, type PendingMessage } from "../services/Mailbox.js"
import { claimByTaking, heldUntilSettled } from "./mailboxTaken.js"
import { feedNotice } from "./pg/feedNotice.js"
import { claimRows } from "./pg/inboxClaims.js"
import { copyMethods } from "./pg/inboxCopies.js"
import { followCopies } from "./pg/inboxFeed.js"
import { heldLocksQuery, holdLock, listenOn } from "./pg/inboxWaiters.js"
import { PgBus } from "./pg/PgBus.js"
import { makeNextSentAt } from "./sentAtStamps.js"

const decodeMessage = Schema.decodeUnknownEither(MessageFromJson)

/** How long a claim may stay open before the server ends its session and the messages come back unread. */
const claimLease = Duration.seconds(60)

/** How often a process deletes archived messages older than the archive TTL. */
const pruneEvery = Duration.hours(1)

/**
 * Builds the mailboxes on a PostgreSQL bus: a delivery is one transaction (unread cap under a per-inbox advisory lock,
 * the row, a notification of the recipient's channel and of the feed at commit); a claim locks its rows in an open
 * transaction until settled (its archiving notifies the feed); waiters hold an advisory lock. Failures become
 * MailboxUnavailable naming the masked URL and what to check.
 */
export const make = Effect.gen(function*() {
  const bus = yield* PgBus
  const config = yield* BusConfig
  const sql = bus.sql
  const nextSentAt = yield* makeNextSentAt
  const lastPrune = yield* Ref.make(Number.NEGATIVE_INFINITY)

  const unavailable = (agentId: string) => (failure: unknown) => {
    if (failure instanceof MailboxUnavailable) return failure
    const { code, reason } = bus.describe(failure)
    return new MailboxUnavailable({ agentId, reason, ...(code === undefined ? {} : { code }) })
  }

  /** Fails for an id that is no valid inbox name (a foreign registry row). */
  const checked = (agentId: AgentId) =>
    Effect.suspend(() => {
      const problem = agentIdProblem(agentId)
      return problem === undefined ? Effect.void : Effect.fail(new MailboxUnavailable({ agentId, reason: problem }))
    })

  const deliver: MailboxShape["deliver"] = Effect.fn("Mailbox.deliver")(function*(agentId, message) {
    yield* checked(agentId)
    const file = messageFileName(message)
    const body = JSON.stringify(message)
    const [a, b] = bus.lockKeyOf("inbox", agentId)
    const outcome = yield* Effect.gen(function*() {
      yield* sql`SELECT pg_advisory_xact_lock(${a}, ${b})`
      const unread = Number(
        (yield* sql<{ readonly n: string }>`SELECT COUNT(*) AS n FROM messages
          WHERE recipient = ${agentId} AND state = 'unread'`)[0]?.n ?? 0
      )
      if (unread >= config.maxUnread) return { full: true, unread }
      yield* sql`INSERT INTO messages ${
        sql.insert({
          recipient: agentId,
          file,
          id: message.id,
          sender: message.from,
          topic: message.topic,
          body,
          bytes: replyBytes(message)
        })
      }`
      yield* sql`SELECT pg_notify(${bus.channelOf(agentId)}, ${file}),
        pg_notify(${bus.feedChannel}, ${feedNotice("delivered", agentId, file)})`
      return { full: false, unread }
    }).pipe(sql.withTransaction, Effect.mapError(unavailable(agentId)))
    if (outcome.full) return yield* new InboxFull({ agentId, unread: outcome.unread, limit: config.maxUnread })
  })

  const pendingOf = (agentId: AgentId) =>
    sql<
      {
        readonly file: string
        readonly id: string
        readonly sender: string
        readonly topic: string | null
        readonly urgent: boolean
      }
    >`SELECT file, id, sender, topic, strpos(body, '"priority":"urgent"') > 0 AS urgent FROM messages
      WHERE recipient = ${agentId} AND state = 'unread' ORDER BY file`
      .pipe(
        Effect.map((rows) =>
          rows.map((row): PendingMessage => ({
            file: row.file,
            id: row.id,
            from: row.sender,
            topic: row.topic,
            priority: row.urgent ? "urgent" : "normal"
          }))
        ),
        Effect.mapError(unavailable(agentId))
      )

  const prune = Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const due = yield* Ref.modify(
      lastPrune,
      (last) => now - last >= Duration.toMillis(pruneEvery) ? [true, now] : [false, last]
    )
    if (!due) return
    const ttlSeconds = Duration.toSeconds(config.archiveTtl)
    yield* Effect.ignore(
      sql`DELETE FROM messages WHERE state = 'archived' AND read_at < now() - make_interval(secs => ${ttlSeconds})`
    )
  })

  const take: MailboxShape["take"] = Effect.fn("Mailbox.take")(function*(agentId, topic, limit) {
    yield* checked(agentId)
    const held = yield* claimRows(
      bus.pool,
      { decode: decodeMessage, lease: claimLease, feedChannel: bus.feedChannel },
      agentId,
      topic._tag === "Some" ? topic.value : undefined,
      limit ?? defaultReadLimit
    ).pipe(Effect.mapError(unavailable(agentId)))
    yield* prune
    return heldUntilSettled(held, (delivered) =>
      held.settle(delivered).pipe(
        Effect.catchAll((failure) =>
          Effect.logWarning(
            `inbox of ${agentId}: could not settle ${held.messages.length} claimed messages (${
              unavailable(agentId)(failure).reason
            }); the next read returns them again`
          )
        )
      ))
  })

  const waiterKeys = (agentIds: ReadonlyArray<AgentId>) => agentIds.map((agentId) => bus.lockKeyOf("waiter", agentId))

  const waitersAmong: MailboxShape["waitersAmong"] = (agentIds) =>
    Effect.gen(function*() {
      if (agentIds.length === 0) return new Set<AgentId>()
      const keys = waiterKeys(agentIds)
      const held = yield* sql.unsafe<{ readonly a: string; readonly b: string }>(heldLocksQuery, [
        keys.map(([a]) => a),
        keys.map(([, b]) => b)
      ])
      const heldKeys = new Set(held.map((row) => `${row.a}/${row.b}`))
      return new Set(agentIds.filter((_, index) => {
        const [a, b] = keys[index]!
        return heldKeys.has(`${a >>> 0}/${b >>> 0}`)
      }))
    }).pipe(Effect.orElseSucceed(() => new Set<AgentId>()))

  return {
    nextSentAt,
    ensureInbox: (agentId) => checked(agentId),
    deliver,
    deliverEach: (deliveries) =>
      Effect.forEach(deliveries, (delivery) => Effect.either(deliver(delivery.agentId, delivery.message)), {
        concurrency: 4
      }),
    pending: Effect.fn("Mailbox.pending")(function*(agentId) {
      yield* checked(agentId)
      return yield* pendingOf(agentId)
    }),
    take,
    claim: claimByTaking(take),
    awaitNew: (agentId, known) =>
      Effect.scoped(Effect.gen(function*() {
        yield* checked(agentId)
        const listener = yield* listenOn(bus.pool, bus.channelOf(agentId))
        for (;;) {
          const fresh = (yield* pendingOf(agentId)).filter((message) => !known.has(message.file))
          if (fresh.length > 0) return fresh
          yield* Effect.raceFirst(listener.next, Effect.sleep(config.mailRescan))
        }
      })),
    ...copyMethods(bus, unavailable, checked),
    followInboxes: followCopies(bus),
    holdWaiter: (agentId) =>
      agentIdProblem(agentId) === undefined
        ? holdLock(bus.pool, bus.lockKeyOf("waiter", agentId))
        : Effect.succeed(false),
    hasWaiter: (agentId) => Effect.map(waitersAmong([agentId]), (held) => held.has(agentId)),
    waitersAmong
  } satisfies MailboxShape
})

/** The mailboxes on a PostgreSQL bus. */
export const layer = Layer.effect(Mailbox, make)
