import { Context, type Effect, type Option } from "effect"
import type { Priority } from "../domain/Message.js"
import type { RegistryUnavailable } from "../errors/stores.js"

/** One message as the log keeps it: who sent it to whom, its thread, priority and content, without per-runtime text. */
export interface LoggedMessage {
  readonly message_id: string
  readonly thread_id: string
  readonly in_reply_to: string | null
  readonly from: string
  readonly topic: string | null
  readonly priority: Priority
  readonly ack_required: boolean
  /** Whether the sender is told of acknowledgements by an `ack` message (it may opt out). */
  readonly ack_notify: boolean
  readonly sent_at: string
  readonly content: string
  /** The agents it was delivered to. */
  readonly recipients: ReadonlyArray<string>
}

/** A recipient's acknowledgement of a message. */
export interface Acknowledgement {
  readonly agent_id: string
  readonly at: string
  readonly note: string | null
}

/** A message that matched a search, with its rank (lower is better: SQLite's bm25). */
export interface SearchHit {
  readonly message: LoggedMessage
  readonly rank: number
}

/**
 * The log of messages sent on this bus, beside the inbox files (which stay the truth of what is unread): recipients,
 * threads, acknowledgements and a full-text index. Entries follow the archive TTL.
 */
export interface MessageLogShape {
  /**
   * Records messages (a send, or messages read that no log entry knew, such as the Python helioy-bus's); a message
   * already logged only gains recipients. Forgets entries sent before `forgetBefore` now and then.
   */
  readonly record: (
    messages: ReadonlyArray<LoggedMessage>,
    forgetBefore: string
  ) => Effect.Effect<void, RegistryUnavailable>
  /** The ids among `messageIds` that the log knows. */
  readonly known: (messageIds: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>, RegistryUnavailable>
  /** One logged message, if the log knows it. */
  readonly find: (messageId: string) => Effect.Effect<Option.Option<LoggedMessage>, RegistryUnavailable>
  /** The latest messages sent on the bus, newest first, at most `limit` (for a person's dashboard). */
  readonly recent: (limit: number) => Effect.Effect<ReadonlyArray<LoggedMessage>, RegistryUnavailable>
  /** The messages of a thread, oldest first, at most `limit`. */
  readonly thread: (threadId: string, limit: number) => Effect.Effect<ReadonlyArray<LoggedMessage>, RegistryUnavailable>
  /** Whether `agentId` sent or received a message of the thread. */
  readonly inThread: (threadId: string, agentId: string) => Effect.Effect<boolean, RegistryUnavailable>
  /** Records an acknowledgement; succeeds with whether it is the first by this recipient (a second changes nothing). */
  readonly acknowledge: (
    messageId: string,
    acknowledgement: Acknowledgement
  ) => Effect.Effect<boolean, RegistryUnavailable>
  /** The acknowledgements of a message, oldest first. */
  readonly acknowledgements: (messageId: string) => Effect.Effect<ReadonlyArray<Acknowledgement>, RegistryUnavailable>
  /**
   * The messages `agentId` sent or received whose content or topic match every word of `words`, best first, at most
   * `limit`.
   */
  readonly search: (
    agentId: string,
    words: ReadonlyArray<string>,
    limit: number
  ) => Effect.Effect<ReadonlyArray<SearchHit>, RegistryUnavailable>
  /** Whether the inbox files were ever indexed into this log (a log created beside existing mail has not been). */
  readonly filesIndexed: Effect.Effect<boolean, RegistryUnavailable>
  /** Notes that the inbox files have been indexed. */
  readonly markFilesIndexed: Effect.Effect<void, RegistryUnavailable>
}

/** The message log. */
export class MessageLog extends Context.Tag("helioy/MessageLog")<MessageLog, MessageLogShape>() {}
