import { Context, type Effect, type Option } from "effect"
import type { MailboxUnavailable } from "../domain/errors.js"

/** `pids/<pid>` files: which agent a registered runtime process is. */
export interface PidFilesShape {
  /** Records that process `pid` is agent `agentId` (written atomically, mode 0600). */
  readonly write: (pid: number, agentId: string) => Effect.Effect<void, MailboxUnavailable>
  /** The agent recorded for a process, if any. */
  readonly read: (pid: number) => Effect.Effect<Option.Option<string>>
  /** Removes the file of a process; succeeds whether or not it existed. */
  readonly remove: (pid: number) => Effect.Effect<void>
  /** Every recorded process and its agent. */
  readonly list: Effect.Effect<ReadonlyArray<{ readonly pid: number; readonly agentId: string }>>
}

/** The pid files. */
export class PidFiles extends Context.Tag("helioy/PidFiles")<PidFiles, PidFilesShape>() {}
