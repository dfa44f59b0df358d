import { Duration } from "effect"
import { RegistryUnavailable } from "../errors/stores.js"

/**
 * The SQLite result code (`SQLITE_BUSY`, ...) of a failure, found on it or on the causes it wraps; undefined when none.
 */
export const sqliteCode = (failure: unknown): string | undefined => {
  let current = failure
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

const messageOf = (failure: unknown) => failure instanceof Error ? failure.message : String(failure)

/**
 * Maps a SQL, driver or decode failure to RegistryUnavailable, keeping its SQLite code and the failure itself: a busy
 * or locked registry says how long it waited and what to do; any other failure is worded by `describe`.
 */
export const registryUnavailable = (
  busyTimeout: Duration.Duration,
  describe: (message: string, code: string | undefined) => string = (message, code) =>
    `${message}${code ? ` (${code})` : ""}`
) =>
(failure: unknown): RegistryUnavailable => {
  const code = sqliteCode(failure)
  return new RegistryUnavailable({
    reason: code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
      ? `registry.db is locked by another process (waited ${
        Duration.format(busyTimeout)
      }); retry in a moment, or raise HELIOY_BUS_BUSY_TIMEOUT_MS`
      : describe(messageOf(failure), code),
    ...(code === undefined ? {} : { code }),
    cause: failure
  })
}
