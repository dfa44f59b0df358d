/** The errors of tmux calls. */
import { Data } from "effect"

/** tmux is not installed or cannot be run. */
export class TmuxUnavailable
  extends Data.TaggedError("TmuxUnavailable")<{ readonly reason: string; readonly cause?: unknown }>
{}

/** A tmux command exited non-zero. */
export class TmuxCommandFailed extends Data.TaggedError("TmuxCommandFailed")<{
  readonly args: ReadonlyArray<string>
  readonly exitCode: number
  readonly stderr: string
}> {}

/** Any tmux failure. */
export type TmuxError = TmuxUnavailable | TmuxCommandFailed
