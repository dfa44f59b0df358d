import { SqlClient, type SqlError } from "@effect/sql"
import { Clock, Effect, Layer, Option } from "effect"
import { BusConfig } from "../services/BusConfig.js"
import { MessageLog, type MessageLogShape } from "../services/MessageLog.js"
import { decodeAcks, decodeHits, decodeMessages, logged, pruneEveryMillis } from "./messageLogRows.js"
import { registryUnavailable } from "./registryUnavailable.js"

/** The recipients of the message row `m`, one per line. */
const recipientList =
  `(SELECT group_concat(agent_id, char(10)) FROM message_recipients r WHERE r.message_id = m.message_id) AS recipients`

/** Rows per INSERT: well inside SQLite's limit of bound variables per statement. */
const rowsPerInsert = 500

const chunked = <A>(rows: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from(
    { length: Math.ceil(rows.length / rowsPerInsert) },
    (_, index) => rows.slice(index * rowsPerInsert, (index + 1) * rowsPerInsert)
  )

/** An FTS5 query matching every word as a literal term (no operator of the query syntax can slip in). */
const matchAll = (words: ReadonlyArray<string>) => words.map((word) => `"${word.replaceAll("\"", "\"\"")}"`).join(" ")

/** Builds the SQLite message log on the registry's connection; every SQL failure becomes a RegistryUnavailable. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { busyTimeout } = yield* BusConfig
  const unavailable = registryUnavailable(busyTimeout)
  let lastPrune = Number.NEGATIVE_INFINITY

  const messages = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>) =>
    query.pipe(
      Effect.flatMap(decodeMessages),
      Effect.map((rows) => rows.map(logged)),
      Effect.mapError(unavailable)
    )

  const record: MessageLogShape["record"] = Effect.fn("MessageLog.record")(function*(entries, forgetBefore) {
    if (entries.length === 0) return
    const now = yield* Clock.currentTimeMillis
    const prune = now - lastPrune >= pruneEveryMillis
    if (prune) lastPrune = now
    yield* Effect.gen(function*() {
      for (const chunk of chunked(entries)) {
        yield* sql`INSERT OR IGNORE INTO messages ${
          sql.insert(chunk.map((entry) => ({
            message_id: entry.message_id,
            thread_id: entry.thread_id,
            in_reply_to: entry.in_reply_to,
            from_agent: entry.from,
            topic: entry.topic,
            priority: entry.priority,
            ack_required: entry.ack_required ? 1 : 0,
            ack_notify: entry.ack_notify ? 1 : 0,
            sent_at: entry.sent_at,
            content: entry.content
          })))
        }`
      }
      const recipients = entries.flatMap((entry) =>
        entry.recipients.map((agentId) => ({ message_id: entry.message_id, agent_id: agentId }))
      )
      for (const chunk of chunked(recipients)) {
        yield* sql`INSERT OR IGNORE INTO message_recipients ${sql.insert(chunk)}`
      }
      if (prune) {
        const expired = sql`SELECT message_id FROM messages WHERE sent_at < ${forgetBefore}`
        yield* sql`DELETE FROM message_recipients WHERE message_id IN (${expired})`
        yield* sql`DELETE FROM acknowledgements WHERE message_id IN (${expired})`
        yield* sql`DELETE FROM messages WHERE sent_at < ${forgetBefore}`
      }
    }).pipe(sql.withTransaction, Effect.mapError(unavailable))
  })

  return {
    record,
    known: Effect.fn("MessageLog.known")(function*(messageIds) {
      if (messageIds.length === 0) return new Set<string>()
      const rows = yield* Effect.mapError(
        sql<{ readonly message_id: string }>`SELECT message_id FROM messages WHERE ${sql.in("message_id", messageIds)}`,
        unavailable
      )
      return new Set(rows.map((row) => row.message_id))
    }),
    find: Effect.fn("MessageLog.find")(function*(messageId) {
      const found = yield* messages(
        sql`SELECT m.*, ${sql.unsafe(recipientList)} FROM messages m WHERE message_id = ${messageId}`
      )
      return Option.fromNullable(found[0])
    }),
    recent: Effect.fn("MessageLog.recent")(function*(limit) {
      return yield* messages(
        sql`SELECT m.*, ${sql.unsafe(recipientList)} FROM messages m ORDER BY sent_at DESC, rowid DESC LIMIT ${limit}`
      )
    }),
    thread: Effect.fn("MessageLog.thread")(function*(threadId, limit) {
      return yield* messages(
        sql`SELECT m.*, ${sql.unsafe(recipientList)} FROM messages m WHERE thread_id = ${threadId}
            ORDER BY sent_at, rowid LIMIT ${limit}`
      )
    }),
    inThread: Effect.fn("MessageLog.inThread")(function*(threadId, agentId) {
      const rows = yield* Effect.mapError(
        sql`SELECT 1 FROM messages m WHERE thread_id = ${threadId} AND (from_agent = ${agentId} OR EXISTS (
              SELECT 1 FROM message_recipients r WHERE r.message_id = m.message_id AND r.agent_id = ${agentId}
            )) LIMIT 1`,
        unavailable
      )
      return rows.length > 0
    }),
    acknowledge: Effect.fn("MessageLog.acknowledge")(function*(messageId, acknowledgement) {
      const rows = yield* Effect.mapError(
        sql`INSERT OR IGNORE INTO acknowledgements ${
          sql.insert({ message_id: messageId, ...acknowledgement })
        } RETURNING agent_id`,
        unavailable
      )
      return rows.length > 0
    }),
    acknowledgements: Effect.fn("MessageLog.acknowledgements")(function*(messageId) {
      const rows = yield* sql`SELECT agent_id, at, note FROM acknowledgements WHERE message_id = ${messageId}
        ORDER BY at`.pipe(Effect.flatMap(decodeAcks), Effect.mapError(unavailable))
      return rows
    }),
    search: Effect.fn("MessageLog.search")(function*(agentId, words, limit) {
      const rows = yield* sql`SELECT m.*, ${sql.unsafe(recipientList)}, message_search.rank AS rank
          FROM message_search JOIN messages m ON m.rowid = message_search.rowid
          WHERE message_search MATCH ${matchAll(words)} AND (m.from_agent = ${agentId} OR EXISTS (
            SELECT 1 FROM message_recipients r WHERE r.message_id = m.message_id AND r.agent_id = ${agentId}
          ))
          ORDER BY message_search.rank LIMIT ${limit}`.pipe(Effect.flatMap(decodeHits), Effect.mapError(unavailable))
      return rows.map((row) => ({ message: logged(row), rank: row.rank }))
    }),
    filesIndexed: Effect.map(
      Effect.mapError(sql`SELECT value FROM message_log_meta WHERE key = 'files_indexed'`, unavailable),
      (rows) => rows.length > 0
    ),
    markFilesIndexed: Effect.asVoid(
      Effect.mapError(
        sql`INSERT OR REPLACE INTO message_log_meta (key, value) VALUES ('files_indexed', '1')`,
        unavailable
      )
    )
  } satisfies MessageLogShape
})

/** The message log in registry.db (requires its SqlClient). */
export const layer = Layer.effect(MessageLog, make)
