/**
 * Formats epoch microseconds as the reference does (`YYYY-MM-DDTHH:MM:SS.ffffff+00:00`), so both implementations'
 * timestamps sort together.
 */
export const formatMicros = (micros: number): string => {
  const millis = Math.floor(micros / 1000)
  const iso = new Date(millis).toISOString()
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, "0")
  return `${iso.slice(0, 19)}.${fraction}+00:00`
}

/** Formats epoch milliseconds in the reference's timestamp format. */
export const formatMillis = (millis: number): string => formatMicros(millis * 1000)

/** Epoch milliseconds of a reference timestamp (or any ISO-8601 form `Date` reads); undefined when it is not one. */
export const parseTimestampMillis = (text: string): number | undefined => {
  const millis = Date.parse(text)
  return Number.isNaN(millis) ? undefined : millis
}
