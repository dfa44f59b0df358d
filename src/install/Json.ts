/** A JSON object. */
export type JsonObject = Record<string, unknown>

/** Whether a value is a plain object (not an array, not null); never fails. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)

/** Whether two parsed JSON or TOML values are equal, key order aside (dates compare by their text); never fails. */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (a instanceof Date || b instanceof Date) return String(a) === String(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return Number.isNaN(a) && Number.isNaN(b)
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]))
}
