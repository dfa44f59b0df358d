import { Effect, Option, Schema } from "effect"
import type { HookEvent } from "../programs/hooks.js"

const EventJson = Schema.parseJson(Schema.Struct({
  session_id: Schema.optionalWith(Schema.String, { default: () => "" }),
  cwd: Schema.optionalWith(Schema.String, { default: () => "" }),
  source: Schema.optionalWith(Schema.String, { default: () => "" }),
  reason: Schema.optionalWith(Schema.String, { default: () => "" }),
  stop_hook_active: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  transcript_path: Schema.optionalWith(Schema.String, { default: () => "" })
}))

/** A hook event and the runtime its shape suggests (`codex` for Codex transcripts, else none). */
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

/** Reads the hook event JSON on stdin (at most `limitMillis` of waiting for it); malformed or absent input reads as an empty event. */
export const readHookEvent = (limitMillis: number): Effect.Effect<ReadEvent> =>
  Effect.map(readAll(limitMillis), (text) => {
    const decoded = Schema.decodeUnknownOption(EventJson)(text.trim() === "" ? "{}" : text)
    const fields = Option.getOrElse(decoded, () => Schema.decodeUnknownSync(EventJson)("{}"))
    const { transcript_path, ...event } = fields
    return {
      event: { ...event, cwd: event.cwd === "" ? process.cwd() : event.cwd },
      runtimeHint: /\/\.codex\/|rollout-/.test(transcript_path) ? Option.some("codex") : Option.none()
    }
  })
