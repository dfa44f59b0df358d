import { Clock, Effect, Layer, Option } from "effect"
import { RegistryUnavailable } from "../errors/stores.js"
import { MessageLog, type MessageLogShape } from "../services/MessageLog.js"
import { decodeAcks, decodeHits, decodeMessages, logged, pruneEveryMillis } from "./messageLogRows.js"
import { PgBus } from "./pg/PgBus.js"

const columns = `m.message_id, m.thread_id, m.in_reply_to, m.from_agent, m.topic, m.priority, m.ack_required,
  m.ack_notify, m.sent_at, m.content, (SELECT string_agg(r.agent_id, E'\\n' ORDER BY r.agent_id)
    FROM message_log_recipients r WHERE r.message_id = m.message_id) AS recipients`

const searchable = `to_tsvector('simple', coalesce(m.topic, '') || ' ' || m.content)`

/** Builds the message log on a PostgreSQL bus; every SQL failure becomes a RegistryUnavailable naming the masked URL. */
export const make = Effect.gen(function*() {
  const bus = yield* PgBus
  const sql = bus.sql
  let lastPrune = Number.NEGATIVE_INFINITY
  const unavailable = (failure: unknown) => {
    const { code, reason } = bus.describe(failure)
    return new RegistryUnavailable({ reason, ...(code === undefined ? {} : { code }) })
  }
  const messages = (query: Effect.Effect<ReadonlyArray<unknown>, unknown>) =>
    query.pipe(Effect.flatMap(decodeMessages), Effect.map((rows) => rows.map(logged)), Effect.mapError(unavailable))

  return {
    record: Effect.fn("MessageLog.record")(function*(entries, forgetBefore) {
      if (entries.length === 0) return
      const now = yield* Clock.currentTimeMillis
      const prune = now - lastPrune >= pruneEveryMillis
      if (prune) lastPrune = now
      yield* Effect.gen(function*() {
        for (const entry of entries) {
          yield* sql`INSERT INTO message_log ${
            sql.insert({
              message_id: entry.message_id,
              thread_id: entry.thread_id,
              in_reply_to: entry.in_reply_to,
              from_agent: entry.from,
              topic: entry.topic,
              priority: entry.priority,
              ack_required: entry.ack_required,
              ack_notify: entry.ack_notify,
              sent_at: entry.sent_at,
              content: entry.content
            })
          } ON CONFLICT (message_id) DO NOTHING`
          for (const agentId of entry.recipients) {
            yield* sql`INSERT INTO message_log_recipients ${
              sql.insert({ message_id: entry.message_id, agent_id: agentId })
            } ON CONFLICT DO NOTHING`
          }
        }
        if (prune) {
          const expired = sql`SELECT message_id FROM message_log WHERE sent_at < ${forgetBefore}`
          yield* sql`DELETE FROM message_log_recipients WHERE message_id IN (${expired})`
          yield* sql`DELETE FROM acknowledgements WHERE message_id IN (${expired})`
          yield* sql`DELETE FROM message_log WHERE sent_at < ${forgetBefore}`
        }
      }).pipe(sql.withTransaction, Effect.mapError(unavailable))
    }),
    known: Effect.fn("MessageLog.known")(function*(messageIds) {
      if (messageIds.length === 0) return new Set<string>()
      const rows = yield* Effect.mapError(
        sql<{ readonly message_id: string }>`SELECT message_id FROM message_log WHERE ${
          sql.in("message_id", messageIds)
        }`,
        unavailable
      )
      return new Set(rows.map((row) => row.message_id))
    }),
    find: Effect.fn("MessageLog.find")(function*(messageId) {
      const found = yield* messages(
        sql`SELECT ${sql.unsafe(columns)} FROM message_log m WHERE m.message_id = ${messageId}`
      )
      return Option.fromNullable(found[0])
    }),
    recent: Effect.fn("MessageLog.recent")(function*(limit) {
      return yield* messages(
        sql`SELECT ${sql.unsafe(columns)} FROM message_log m ORDER BY m.sent_at DESC, m.seq DESC LIMIT ${limit}`
      )
    }),
    thread: Effect.fn("MessageLog.thread")(function*(threadId, limit) {
      return yield* messages(
        sql`SELECT ${sql.unsafe(columns)} FROM message_log m WHERE m.thread_id = ${threadId}
            ORDER BY m.sent_at, m.seq LIMIT ${limit}`
      )
    }),
    inThread: Effect.fn("MessageLog.inThread")(function*(threadId, agentId) {
      const rows = yield* Effect.mapError(
        sql`SELECT 1 FROM message_log m WHERE m.thread_id = ${threadId} AND (m.from_agent = ${agentId} OR EXISTS (
              SELECT 1 FROM message_log_recipients r WHERE r.message_id = m.message_id AND r.agent_id = ${agentId}
            )) LIMIT 1`,
        unavailable
      )
      return rows.length > 0
    }),
    acknowledge: Effect.fn("MessageLog.acknowledge")(function*(messageId, acknowledgement) {
      const rows = yield* Effect.mapError(
        sql`INSERT INTO acknowledgements ${
          sql.insert({ message_id: messageId, ...acknowledgement })
        } ON CONFLICT DO NOTHING RETURNING agent_id`,
        unavailable
      )
      return rows.length > 0
    }),
    acknowledgements: Effect.fn("MessageLog.acknowledgements")(function*(messageId) {
      return yield* sql`SELECT agent_id, at, note FROM acknowledgements WHERE message_id = ${messageId} ORDER BY at`
        .pipe(Effect.flatMap(decodeAcks), Effect.mapError(unavailable))
    }),
    search: Effect.fn("MessageLog.search")(function*(agentId, words, limit) {
      // Each word a literal lexeme (plainto_tsquery: no operator of the query syntax applies); all must match.
      const query = words.join(" ")
      const rows = yield* sql`SELECT ${sql.unsafe(columns)},
            -ts_rank(${sql.unsafe(searchable)}, plainto_tsquery('simple', ${query}))::float8 AS rank
          FROM message_log m
          WHERE ${sql.unsafe(searchable)} @@ plainto_tsquery('simple', ${query}) AND (m.from_agent = ${agentId} OR
            EXISTS (SELECT 1 FROM message_log_recipients r WHERE r.message_id = m.message_id AND r.agent_id = ${agentId}))
          ORDER BY rank, m.seq LIMIT ${limit}`.pipe(Effect.flatMap(decodeHits), Effect.mapError(unavailable))
      return rows.map((row) => ({ message: logged(row), rank: row.rank }))
    }),
    filesIndexed: Effect.map(
      Effect.mapError(sql`SELECT value FROM message_log_meta WHERE key = 'files_indexed'`, unavailable),
      (rows) => rows.length > 0
    ),
    markFilesIndexed: Effect.asVoid(
      Effect.mapError(
        sql`INSERT INTO message_log_meta (key, value) VALUES ('files_indexed', '1') ON CONFLICT (key) DO NOTHING`,
        unavailable
      )
    )
  } satisfies MessageLogShape
})

/** The message log on a PostgreSQL bus. */
export const layer = Layer.effect(MessageLog, make)
