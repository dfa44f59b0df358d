/**
 * Claiming from one inbox in PostgreSQL: the claimed rows stay locked (`FOR UPDATE SKIP LOCKED`) by an open
 * transaction of a session of their own until settled, so no other reader gets them; a reader that dies (its session
 * ends) or stalls (`idle_in_transaction_session_timeout`, the lease) gives them back unread, to be re-delivered.
 */
import { Duration, Effect, Either } from "effect"
import type { Pool } from "pg"
import type { Message } from "../../domain/Message.js"
import { fitsRead } from "../../domain/ReadLimits.js"
import type { QuarantinedFile } from "../../services/Mailbox.js"
import { feedNotice } from "./feedNotice.js"
import { type PgSession, takeSession } from "./pgSession.js"

/**
 * Whether a row's message is urgent: the body is this bus's compact JSON, whose `"priority":"urgent"` can only be the
 * key itself (inside a string every quote is escaped).
 */
export const isUrgent = `strpos(body, '"priority":"urgent"') > 0`

/** Urgent messages first. */
export const urgentFirst = `(${isUrgent}) DESC`

/** What one claim took, with the session holding it. */
export interface HeldClaim {
  readonly messages: ReadonlyArray<Message>
  readonly quarantined: ReadonlyArray<QuarantinedFile>
  readonly remaining: number
  /** Archives the claimed rows (`delivered`) or gives them back; fails with the driver's error (they come back). */
  readonly settle: (delivered: boolean) => Effect.Effect<void, unknown>
}

/** How claiming reads messages, how long a claim may stay open, and the channel its reads are notified on. */
export interface ClaimSettings {
  readonly decode: (text: string) => Either.Either<Message, unknown>
  readonly lease: Duration.Duration
  readonly feedChannel: string
}

const topicFilter = (topic: string | undefined, next: number) => topic === undefined ? "" : ` AND topic = $${next}`

/** Runs `body` in a transaction of `session`, rolling back and dropping the session when it fails. */
const inTransaction = <A>(session: PgSession, body: Effect.Effect<A, unknown>) =>
  Effect.zipRight(session.query("BEGIN"), body).pipe(
    Effect.tapErrorCause(() => Effect.zipRight(Effect.ignore(session.query("ROLLBACK")), session.release(true)))
  )

/**
 * Claims the unread rows of `recipient` (of `topic`, when given), oldest first, at most `limit` and within the read
 * budget of bytes (one at least), skipping rows another reader holds; rows whose body is no valid message are
 * quarantined. The claim holds a session until settled; fails with the driver's error (nothing is then claimed).
 */
export const claimRows = (
  pool: Pool,
  settings: ClaimSettings,
  recipient: string,
  topic: string | undefined,
  limit: number
): Effect.Effect<HeldClaim, unknown> =>
  Effect.gen(function*() {
    const session = yield* takeSession(pool)
    return yield* inTransaction(
      session,
      Effect.gen(function*() {
        yield* session.query(`SET LOCAL idle_in_transaction_session_timeout = ${Duration.toMillis(settings.lease)}`)
        const params = topic === undefined ? [recipient, limit] : [recipient, limit, topic]
        const candidates = yield* session.query<{ readonly file: string; readonly bytes: number }>(
          `SELECT file, bytes FROM messages WHERE recipient = $1 AND state = 'unread'${topicFilter(topic, 3)}
           ORDER BY ${urgentFirst}, file LIMIT $2 FOR UPDATE SKIP LOCKED`,
          params
        )
        const chosen: Array<string> = []
        let used = 0
        for (const row of candidates) {
          if (!fitsRead(chosen.length, used, row.bytes, limit)) break
          chosen.push(row.file)
          used += row.bytes
        }
        const bodies = chosen.length === 0 ?
          [] :
          yield* session.query<{ readonly file: string; readonly body: string }>(
            `SELECT file, body FROM messages WHERE recipient = $1 AND file = ANY($2) ORDER BY ${urgentFirst}, file`,
            [recipient, chosen]
          )
        const messages: Array<Message> = []
        const claimed: Array<string> = []
        const quarantined: Array<QuarantinedFile> = []
        for (const row of bodies) {
          const decoded = settings.decode(row.body)
          if (Either.isRight(decoded)) {
            messages.push(decoded.right)
            claimed.push(row.file)
          } else {
            quarantined.push({ file: row.file, reason: "not a valid message (corrupt JSON or missing keys)" })
          }
        }
        if (quarantined.length > 0) {
          yield* session.query(
            `UPDATE messages SET state = 'quarantined', reason = $3 WHERE recipient = $1 AND file = ANY($2)`,
            [recipient, quarantined.map((q) => q.file), "not a valid message"]
          )
        }
        const rest = yield* session.query<{ readonly n: string }>(
          `SELECT COUNT(*) AS n FROM messages WHERE recipient = $1 AND state = 'unread' AND NOT (file = ANY($2))${
            topicFilter(topic, 3)
          }`,
          topic === undefined ? [recipient, claimed] : [recipient, claimed, topic]
        )
        const finish = (delivered: boolean) =>
          (delivered && claimed.length > 0
            ? Effect.zipRight(
              session.query(
                `UPDATE messages SET state = 'archived', read_at = now() WHERE recipient = $1 AND file = ANY($2)`,
                [recipient, claimed]
              ),
              // Told to followers at commit, as the archiving itself.
              session.query(`SELECT pg_notify($1, notice) FROM unnest($2::text[]) AS notice`, [
                settings.feedChannel,
                claimed.map((file) => feedNotice("read", recipient, file))
              ])
            ).pipe(Effect.zipRight(session.query("COMMIT")))
            : session.query(delivered || quarantined.length > 0 ? "COMMIT" : "ROLLBACK")).pipe(
              Effect.zipRight(session.release()),
              Effect.tapError(() => session.release(true))
            )
        return {
          messages,
          quarantined,
          remaining: Number(rest[0]?.n ?? 0),
          settle: finish
        } satisfies HeldClaim
      })
    )
  })
