import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "../errors/bus.js"

/** A text argument, white space around it removed. */
export const Text = Schema.Trim

/** An optional text argument, white space around it removed; absent and blank are both "" (not given). */
export const OptionalText = Schema.optionalWith(Schema.Trim, { default: () => "" })

/**
 * The decoder of a tool's arguments, used once where a program starts: text trimmed, defaults filled in. A value of
 * the wrong shape fails with InvalidInput naming its field.
 */
export const decodeInput = <A, I>(schema: Schema.Schema<A, I>): (input: I) => Effect.Effect<A, InvalidInput> => {
  const decode = Schema.decodeUnknown(schema, { onExcessProperty: "ignore" })
  return (input) =>
    Effect.mapError(decode(input), (error) => {
      const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
      return new InvalidInput({ field: issue?.path.join(".") || "arguments", reason: issue?.message ?? error.message })
    })
}
