import type { SqlError } from "@effect/sql"
import { Duration } from "effect"
import { RegistryUnavailable } from "../domain/errors.js"

/** Maps a SQL or decode failure to RegistryUnavailable: a busy or locked registry says how long it waited and what to do. */
export const registryUnavailable = (busyTimeout: Duration.Duration) => {
  const waited = Duration.format(busyTimeout)
  return (error: SqlError.SqlError | { readonly message: string }): RegistryUnavailable => {
    const code = "cause" in error ? (error.cause as { code?: string } | undefined)?.code : undefined
    return new RegistryUnavailable({
      reason: code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
        ? `registry.db is locked by another process (waited ${waited}); retry in a moment, or raise HELIOY_BUS_BUSY_TIMEOUT_MS`
        : `${error.message}${code ? ` (${code})` : ""}`
    })
  }
}
