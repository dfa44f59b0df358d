/**
 * What the bundled servers get in place of the MCP SDK's Ajv validator (the bundle swaps the SDK server's import for
 * this module): the SDK validates JSON Schemas only for form elicitation, which the bus never asks for, so loading Ajv
 * at every start buys nothing. A schema given anyway is never passed as valid.
 */

/** The outcome shape of the SDK's JSON Schema validators. */
interface Validation {
  readonly valid: boolean
  readonly data: unknown
  readonly errorMessage: string | undefined
}

/** A validator that refuses every input: the servers of this bus never elicit input against a schema. */
export class AjvJsonSchemaValidator {
  /** A check that fails every value, saying why. */
  getValidator(_schema: unknown): (input: unknown) => Validation {
    return () => ({
      valid: false,
      data: undefined,
      errorMessage: "helioy-bus servers do not validate elicitation input"
    })
  }
}
