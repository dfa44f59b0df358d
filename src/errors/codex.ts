/** The errors of talking to Codex's app server. */
import { Data } from "effect"

/** Codex's app server cannot be reached, or refused a request. */
export class CodexUnavailable
  extends Data.TaggedError("CodexUnavailable")<{ readonly reason: string; readonly cause?: unknown }>
{
  override get message() {
    return this.reason
  }
}
