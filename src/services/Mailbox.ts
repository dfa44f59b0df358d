import { Context, type Effect, type Either, type Option, type Queue, type Scope } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import type { Message, Priority } from "../domain/Message.js"
import type { InboxFull } from "../errors/bus.js"
import type { MailboxUnavailable } from "../errors/stores.js"

/** An unread message seen without claiming it. */
export interface PendingMessage {
  readonly file: string
  /** The message id ("" when the file cannot be read as a message). */
  readonly id: string
  readonly from: string
  readonly topic: string | null
  readonly priority: Priority
}

/** Where one recipient's copy of a message is. */
export interface Located {
  /** `unread` (in the inbox, or claimed and not yet settled), `read` (archived) or `quarantined` (moved aside). */
  readonly state: "unread" | "read" | "quarantined"
  /** When it was archived, for a read message (reference timestamp). */
  readonly readAt: Option.Option<string>
  /** The message, when its file still reads as one. */
  readonly message: Option.Option<Message>
}

/** A message of an inbox, read or unread. */
export interface HeldMessage {
  readonly message: Message
  readonly state: "unread" | "read"
}

/** A file moved aside because it was not a valid message. */
export interface QuarantinedFile {
  readonly file: string
  readonly reason: string
}

/** What one read of an inbox claimed. */
export interface Claimed {
  readonly messages: ReadonlyArray<Message>
  readonly quarantined: ReadonlyArray<QuarantinedFile>
  /**
   * Unread messages (of the topic, when one was asked for) left for a later read: the read reached its limit or byte
   * budget.
   */
  readonly remaining: number
}

/**
 * Messages claimed by this process and held until settled: a holder that dies before settling has them re-delivered
 * (same ids) by the next claim of the inbox, so a crash causes a duplicate, never a loss.
 */
export interface Taken extends Claimed {
  /**
   * Archives the held messages (`delivered`: the reader got them; those with `ack_required` then await an
   * acknowledgement) or puts them back unread; never fails.
   */
  readonly settle: (delivered: boolean) => Effect.Effect<void>
}

/** A copy landing in an inbox (`delivered`) or claimed from it and archived (`read`), as a follower sees it. */
export interface InboxEvent {
  readonly event: "delivered" | "read"
  readonly agentId: AgentId
  /** The copy: its file (the file bus's name, the row's key on PostgreSQL), id, sender, topic and priority. */
  readonly message: PendingMessage
}

/** One message for the inbox of one agent. */
export interface Delivery {
  readonly agentId: AgentId
  readonly message: Message
}

/** Per-agent inboxes with exactly-one claim. */
export interface MailboxShape {
  /** A send timestamp later than any this process issued before, so one sender's messages sort in send order. */
  readonly nextSentAt: Effect.Effect<string>
  /**
   * Creates an agent's inbox if missing (again, when it was deleted); fails when it or a directory above it is unusable
   * (a symlink, another user's).
   */
  readonly ensureInbox: (agentId: AgentId) => Effect.Effect<void, MailboxUnavailable>
  /**
   * Writes the complete message into the inbox of `message.to`, atomically; fails when the inbox is full or the write
   * fails (nothing partial is left).
   */
  readonly deliver: (agentId: AgentId, message: Message) => Effect.Effect<void, InboxFull | MailboxUnavailable>
  /**
   * Delivers one fan-out, each message into the inbox of its agent as `deliver` does, the disk waits shared: one
   * result per delivery, in order; never fails as a whole.
   */
  readonly deliverEach: (
    deliveries: ReadonlyArray<Delivery>
  ) => Effect.Effect<ReadonlyArray<Either.Either<void, InboxFull | MailboxUnavailable>>>
  /** The unread messages of an agent, oldest first, without claiming them. */
  readonly pending: (agentId: AgentId) => Effect.Effect<ReadonlyArray<PendingMessage>, MailboxUnavailable>
  /**
   * Claims and archives the unread messages (optionally only one topic), oldest first, at most `limit` (default 100)
   * and at most the read byte budget (at least one); each is returned to exactly one claimer; invalid files are
   * quarantined.
   */
  readonly claim: (
    agentId: AgentId,
    topic: Option.Option<string>,
    limit?: number
  ) => Effect.Effect<Claimed, MailboxUnavailable>
  /**
   * Claims like `claim` but holds the messages until `settle`; re-delivers first what dead holders (or lost
   * directories) left.
   */
  readonly take: (
    agentId: AgentId,
    topic: Option.Option<string>,
    limit?: number
  ) => Effect.Effect<Taken, MailboxUnavailable>
  /** Where the copy of message `messageId` for `agentId` is; none when its inbox holds no such message. */
  readonly locate: (agentId: AgentId, messageId: string) => Effect.Effect<Option.Option<Located>, MailboxUnavailable>
  /** Every message of an inbox that still reads, unread and archived, oldest first (for indexing). */
  readonly history: (agentId: AgentId) => Effect.Effect<ReadonlyArray<HeldMessage>, MailboxUnavailable>
  /** The ids of the messages read with `ack_required` that the agent has not acknowledged, oldest first. */
  readonly awaitingAck: (agentId: AgentId) => Effect.Effect<ReadonlyArray<string>, MailboxUnavailable>
  /** Takes message `messageId` off the agent's awaiting-acknowledgement list; does nothing when it is not on it. */
  readonly acknowledged: (agentId: AgentId, messageId: string) => Effect.Effect<void, MailboxUnavailable>
  /** Waits, without polling, until a message not in `known` (file names) is unread, and returns the new ones. */
  readonly awaitNew: (
    agentId: AgentId,
    known: ReadonlySet<string>
  ) => Effect.Effect<ReadonlyArray<PendingMessage>, MailboxUnavailable>
  /**
   * Follows every inbox, of any process or host, for the scope: each delivery and read from the moment it returns is
   * offered to the queue, in the order seen; never fails (a store that cannot be followed for a while only means
   * missed events).
   */
  readonly followInboxes: Effect.Effect<Queue.Dequeue<InboxEvent>, never, Scope.Scope>
  /** Becomes the one mail waiter of an agent for the scope; false when a live waiter already holds it. */
  readonly holdWaiter: (agentId: AgentId) => Effect.Effect<boolean, never, Scope.Scope>
  /** Whether a live mail waiter holds an agent's inbox (it will wake the agent itself). */
  readonly hasWaiter: (agentId: AgentId) => Effect.Effect<boolean>
  /** The agents among `agentIds` whose inbox a live mail waiter holds, each checked as `hasWaiter` checks one. */
  readonly waitersAmong: (agentIds: ReadonlyArray<AgentId>) => Effect.Effect<ReadonlySet<AgentId>>
}

/** The mailboxes. */
export class Mailbox extends Context.Tag("helioy/Mailbox")<Mailbox, MailboxShape>() {}
