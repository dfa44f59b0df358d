import { Either, ParseResult, Schema } from "effect"

/** Any object of a parsed JSON or TOML file: every key kept, whatever its value. */
export const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** An object of a parsed JSON or TOML file. */
export type JsonObject = typeof JsonObject.Type

/** Whether a value is an object of a parsed file (not an array, not null, not a date); never fails. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  Schema.is(JsonObject)(value) && !(value instanceof Date)

/**
 * A decoder of parsed files: the keys a schema does not name are kept, in the file's order, so that a decoded file
 * writes back as it was. Fails with the message of the first thing that does not fit (the schemas' own messages).
 */
export const fileDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema, { propertyOrder: "original", onExcessProperty: "preserve" })
  return (value: unknown): Either.Either<A, string> =>
    Either.mapLeft(
      decode(value),
      (error) => ParseResult.ArrayFormatter.formatErrorSync(error)[0]?.message ?? error.message
    )
}

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

/** An object without some of its keys, or undefined when nothing else is left in it; never fails. */
export const withoutKeys = (object: JsonObject, keys: ReadonlyArray<string>): JsonObject | undefined => {
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)))
  return Object.keys(rest).length === 0 ? undefined : rest
}
