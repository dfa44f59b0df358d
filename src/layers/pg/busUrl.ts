/** The PostgreSQL bus URL: which URLs select it, and how it is shown (never with its password). */

/** Whether `url` names a PostgreSQL bus (`postgres://` or `postgresql://`). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url.trim())

/**
 * The URL as it may appear in errors and logs: the password (of the userinfo or a `password` query parameter) replaced
 * by `***`; a URL that does not parse is shown as its scheme and host only, or `postgres://(unparsable URL)`.
 */
export const maskedUrl = (url: string): string => {
  try {
    const parsed = new URL(url.trim())
    if (parsed.password !== "") parsed.password = "***"
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, "***")
    }
    return parsed.toString()
  } catch {
    const scheme = /^([a-z]+):\/\//i.exec(url.trim())?.[1] ?? "postgres"
    return `${scheme}://(unparsable URL)`
  }
}
