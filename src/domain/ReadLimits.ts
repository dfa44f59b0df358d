/**
 * How much one `get_messages` returns: a count limit and a byte budget, so that a reply always fits what a client can
 * take.
 */

/** Messages one read returns unless the caller asks for fewer or more. */
export const defaultReadLimit = 100

/** The largest `limit` a read accepts. */
export const maxReadLimit = 1000

/**
 * The JSON bytes of messages one read returns at most (2 MiB): the reply carries them twice (structured and as
 * text), escaped once more, which stays well under the 10 MiB line limit of MCP stdio clients.
 */
export const readBudgetBytes = 2 * 1024 * 1024

/** The bytes a message takes in a reply (its JSON). */
export const replyBytes = (message: object): number => Buffer.byteLength(JSON.stringify(message), "utf8")

/**
 * Whether one more message of `bytes` fits a read holding `count` messages of `used` bytes under `limit`; the first
 * always fits.
 */
export const fitsRead = (count: number, used: number, bytes: number, limit: number): boolean =>
  count < limit && (count === 0 || used + bytes <= readBudgetBytes)

/** Says what is wrong with a requested `limit`, or undefined when it is a whole number from 1 to 1000. */
export const readLimitProblem = (limit: number): string | undefined =>
  Number.isInteger(limit) && limit >= 1 && limit <= maxReadLimit
    ? undefined
    : `must be a whole number from 1 to ${maxReadLimit}`
