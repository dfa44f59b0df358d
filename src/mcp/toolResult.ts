import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { Cause, Exit, Option } from "effect"

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A successful tool result: the value as `structuredContent` (arrays wrapped as `{ result }`) and the same JSON as
 * text.
 */
export const success = (value: unknown): CallToolResult => {
  const structured = isRecord(value) ? value : { result: value }
  return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured }
}

/** A failed tool result whose text says what went wrong and what to do. */
export const failure = (message: string, details: Record<string, unknown> = {}): CallToolResult => {
  const structured = { error: message, ...details }
  return { isError: true, content: [{ type: "text", text: message }], structuredContent: structured }
}

const errorDetails = (error: unknown): Record<string, unknown> => {
  if (!isRecord(error)) return {}
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    // The cause is the original failure, for logs and programs: a tool result keeps its words and its code only.
    if (key !== "message" && key !== "stack" && key !== "name" && key !== "cause") details[key] = value
  }
  if (typeof error._tag === "string") details.type = error._tag
  delete details._tag
  return details
}

/**
 * Maps a program's Exit to a tool result: success as JSON, a typed failure as `isError` with its message and
 * fields, a defect or interruption as an internal error (reported to `onDefect`).
 */
export const fromExit = <A, E>(
  exit: Exit.Exit<A, E>,
  onDefect: (cause: Cause.Cause<E>) => void
): CallToolResult =>
  Exit.match(exit, {
    onSuccess: success,
    onFailure: (cause) => {
      const failureValue = Cause.failureOption(cause)
      if (Option.isSome(failureValue)) {
        const error = failureValue.value
        const message = isRecord(error) && typeof error.message === "string" ? error.message : String(error)
        return failure(message, errorDetails(error))
      }
      onDefect(cause)
      return failure(
        "internal error in helioy-bus; the details are in the server's stderr log. Retry, and report it if it persists."
      )
    }
  })
