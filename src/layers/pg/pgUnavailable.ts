/** What a PostgreSQL failure means to a user: a sentence naming the (masked) URL and what to check, never a secret. */

/** The driver's error code of a failure (`ECONNREFUSED`, SQLSTATE `28P01`, ...), found on it or the causes it wraps. */
export const pgCode = (failure: unknown): string | undefined => {
  let current = failure
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && code !== "") return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

const driverMessage = (failure: unknown): string => {
  let current = failure
  let found = failure instanceof Error ? failure.message : String(failure)
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof Error && current.message !== "") found = current.message
    current = (current as { readonly cause?: unknown }).cause
  }
  return found
}

/** What to check for a failure of `code`. */
const advice = (code: string | undefined): string => {
  switch (code) {
    case "ECONNREFUSED":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ECONNRESET":
    case "57P01":
    case "57P03":
      return "check that the server runs and accepts connections from this host (listen_addresses, pg_hba.conf, firewall); the bus reconnects by itself once it does"
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "check the host name in HELIOY_BUS_URL"
    case "28P01":
    case "28000":
      return "check the user and password (in the URL, PGPASSWORD or ~/.pgpass) and pg_hba.conf"
    case "3D000":
      return "check the database name in HELIOY_BUS_URL (create it, or name an existing one)"
    case "42501":
      return "the user lacks a privilege: grant it CREATE on the database (for the bus's schema) or use the schema's owner"
    default:
      return "check the server and HELIOY_BUS_URL; the bus retries on the next call"
  }
}

/**
 * A sentence for a PostgreSQL failure: what failed at which URL (already masked), the driver's words with any secret
 * removed, and what to check.
 */
export const describePgFailure = (
  maskedUrl: string,
  failure: unknown,
  secrets: ReadonlyArray<string>
): { readonly reason: string; readonly code: string | undefined } => {
  const code = pgCode(failure)
  let words = driverMessage(failure)
  for (const secret of secrets) if (secret !== "") words = words.split(secret).join("***")
  return {
    reason: `PostgreSQL bus at ${maskedUrl}: ${words}${code ? ` (${code})` : ""}; ${advice(code)}`,
    code
  }
}
