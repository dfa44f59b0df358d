import { Effect, Option, Schema } from "effect"
import type { HookEvent } from "../programs/hooks.js"

/** One field of an event object: decoded by its schema, or `fallback` when absent or of the wrong type. */
const field = <A>(object: Readonly<Record<string, unknown>>, key: string, schema: Schema.Schema<A>, fallback: A): A =>
  Option.getOrElse(Schema.decodeUnknownOption(schema)(object[key]), () => fallback)

/**
 * Decodes an event field by field: a field of the wrong type is dropped alone (read as absent), the others are kept.
 */
const decodeEvent = (text: string) => {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    raw = {}
  }
  const object = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? raw as Record<string, unknown> : {}
  return {
    session_id: field(object, "session_id", Schema.String, ""),
    hook_event_name: field(object, "hook_event_name", Schema.String, ""),
    cwd: field(object, "cwd", Schema.String, ""),
    source: field(object, "source", Schema.String, ""),
    reason: field(object, "reason", Schema.String, ""),
    stop_hook_active: field(object, "stop_hook_active", Schema.Boolean, false),
    transcript_path: field(object, "transcript_path", Schema.String, "")
  }
}

/**
 * A hook event and the runtime its shape suggests: `codex` for a Codex rollout transcript, `gemini` for a Gemini CLI
 * chat transcript (`~/.gemini/tmp/<project>/chats/`) or when GEMINI_SESSION_ID names the event's session (Gemini sets
 * it for its hooks), else none.
 */
export interface ReadEvent {
  readonly event: HookEvent
  readonly runtimeHint: Option.Option<string>
}

const readAll = (limitMillis: number) =>
  Effect.async<string>((resume) => {
    if (process.stdin.isTTY) return resume(Effect.succeed(""))
    const chunks: Array<Buffer> = []
    const done = () => {
      clearTimeout(timer)
      process.stdin.off("data", onData)
      process.stdin.pause()
      resume(Effect.succeed(Buffer.concat(chunks).toString("utf8")))
    }
    const onData = (chunk: Buffer) => chunks.push(chunk)
    const timer = setTimeout(done, limitMillis)
    process.stdin.on("data", onData)
    process.stdin.once("end", done)
    process.stdin.once("error", done)
  })

const runtimeOf = (transcriptPath: string, sessionId: string, geminiSessionId: string): Option.Option<string> =>
  /\/\.codex\/|rollout-/.test(transcriptPath)
    ? Option.some("codex")
    : /\/\.gemini\/tmp\/.*\/chats\//.test(transcriptPath) || (sessionId !== "" && geminiSessionId === sessionId)
    ? Option.some("gemini")
    : Option.none()

/**
 * Reads the hook event JSON on stdin (at most `limitMillis` of waiting for it); malformed or absent input reads as an
 * empty event, a malformed field as absent.
 */
export const readHookEvent = (limitMillis: number): Effect.Effect<ReadEvent> =>
  Effect.map(readAll(limitMillis), (text) => {
    const { transcript_path, ...event } = decodeEvent(text)
    return {
      event: { ...event, cwd: event.cwd === "" ? process.cwd() : event.cwd },
      runtimeHint: runtimeOf(transcript_path, event.session_id, process.env.GEMINI_SESSION_ID ?? "")
    }
  })
