/**
 * One session of the pool held across calls (an open claim, a listener, a waiter's lock): statements as Effects, and a
 * release that gives the session back, or drops it when it failed (its server may have ended it).
 */
import { Effect } from "effect"
import type { Pool, PoolClient } from "pg"

/** A session taken from the pool. */
export interface PgSession {
  readonly client: PoolClient
  /** Runs one statement with `$n` parameters; fails with the driver's error. */
  readonly query: <Row = Record<string, unknown>>(
    text: string,
    params?: ReadonlyArray<unknown>
  ) => Effect.Effect<ReadonlyArray<Row>, unknown>
  /** Whether the server or the network ended the session. */
  readonly broken: () => boolean
  /** Gives the session back to the pool (dropped when broken or `failed`); a second call is a no-op. */
  readonly release: (failed?: boolean) => Effect.Effect<void>
}

/** Takes a session from the pool; fails with the driver's error when no connection can be made. */
export const takeSession = (pool: Pool): Effect.Effect<PgSession, unknown> =>
  Effect.map(
    Effect.tryPromise({ try: () => pool.connect(), catch: (error) => error }),
    (client): PgSession => {
      let broken = false
      let released = false
      const onError = () => {
        broken = true
      }
      client.on("error", onError)
      return {
        client,
        query: <Row>(text: string, params: ReadonlyArray<unknown> = []) =>
          Effect.tryPromise({
            try: () => client.query(text, [...params]).then((result) => result.rows as Array<Row>),
            catch: (error) => {
              if ((error as { readonly code?: unknown }).code === undefined) broken = true
              return error
            }
          }),
        broken: () => broken,
        release: (failed = false) =>
          Effect.sync(() => {
            if (released) return
            released = true
            client.off("error", onError)
            client.release(broken || failed ? true : undefined)
          })
      }
    }
  )
