import { Effect, Either, Option, type Schema } from "effect"
import { readConfigFile } from "../../install/configFiles.js"
import { fileDecoder } from "../../install/Json.js"
import { type Check, fail } from "./Check.js"

/** The fix for a configuration file the doctor cannot read. */
const fixIt = "fix it (or move it aside and run helioy-bus install again)"

/**
 * Reads a JSON configuration file as `schema` (an install's Schemas): a missing or empty file decodes as `{}`; a file
 * that cannot be read, parsed or decoded is a failed check named `name`. Never fails.
 */
export const readJsonConfig = <A, I>(path: string, name: string, schema: Schema.Schema<A, I>) => {
  const decode = fileDecoder(schema)
  return Effect.gen(function*() {
    const file = yield* Effect.either(readConfigFile(path))
    if (Either.isLeft(file)) return Either.left<Check>(fail(name, file.left.message, fixIt))
    const text = Option.getOrElse(file.right.text, () => "")
    const parsed = Either.try(() => JSON.parse(text.trim() === "" ? "{}" : text) as unknown)
    if (Either.isLeft(parsed)) {
      return Either.left<Check>(fail(name, `${path} is not valid JSON (${(parsed.left as Error).message})`, fixIt))
    }
    return Either.mapLeft(decode(parsed.right), (reason) => fail(name, `${path}: ${reason}`, fixIt))
  })
}

/** Reads a text configuration file (`config.toml`) and decodes it with `read`; missing reads as empty. Never fails. */
export const readTextConfig = <A>(path: string, name: string, read: (text: string) => Either.Either<A, string>) =>
  Effect.gen(function*() {
    const file = yield* Effect.either(readConfigFile(path))
    if (Either.isLeft(file)) return Either.left<Check>(fail(name, file.left.message, fixIt))
    return Either.mapLeft(
      read(Option.getOrElse(file.right.text, () => "")),
      (reason) => fail(name, `${path}: ${reason}`, fixIt)
    )
  })
