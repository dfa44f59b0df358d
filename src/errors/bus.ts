/** The errors a bus tool reports to its caller: bad arguments, unknown recipients, limits, registration. */
import { Schema } from "effect"
import type { BusDirRefused, MailboxUnavailable, RegistryUnavailable } from "./stores.js"

/** A tool argument that cannot be used as given. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.field}: ${this.reason}`
  }
}

/** No recipient of a send could be resolved. */
export class RecipientNotFound extends Schema.TaggedError<RecipientNotFound>()("RecipientNotFound", {
  to: Schema.String,
  failures: Schema.Array(Schema.Struct({ to: Schema.String, error: Schema.String })),
  known: Schema.Array(Schema.String)
}) {
  override get message() {
    const reasons = this.failures.length === 1
      ? this.failures[0]!.error
      : this.failures.map((f) => `${f.to}: ${f.error}`).join("; ")
    const known = this.known.length === 0
      ? "No agents are registered; call list_agents after they register."
      : `Registered agents: ${this.known.join(", ")}.`
    return `${reasons === "" ? "Recipient address is empty" : reasons}. ${known}`
  }
}

/** Message content over the configured size cap. */
export class MessageTooLarge extends Schema.TaggedError<MessageTooLarge>()("MessageTooLarge", {
  bytes: Schema.Number,
  limit: Schema.Number
}) {
  override get message() {
    return `content is ${this.bytes} bytes; the limit is ${this.limit} bytes (HELIOY_BUS_MAX_MESSAGE_BYTES). Send a shorter message or a file path instead.`
  }
}

/** A recipient's inbox already holds the configured maximum of unread messages. */
export class InboxFull extends Schema.TaggedError<InboxFull>()("InboxFull", {
  agentId: Schema.String,
  unread: Schema.Number,
  limit: Schema.Number
}) {
  override get message() {
    return `inbox of '${this.agentId}' holds ${this.unread} unread messages (limit ${this.limit}, HELIOY_BUS_MAX_UNREAD); wait until it reads them.`
  }
}

/** The caller (or the named agent) has no row in the registry. */
export class NotRegistered extends Schema.TaggedError<NotRegistered>()("NotRegistered", {
  agentId: Schema.String
}) {
  override get message() {
    return `Not registered on bus. Resolved agent_id: '${this.agentId}'. Call register_agent first (or set HELIOY_AGENT_ID).`
  }
}

/** A runtime id that no adapter has. */
export class UnknownRuntime extends Schema.TaggedError<UnknownRuntime>()("UnknownRuntime", {
  runtime: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Unknown runtime '${this.runtime}'. Known: [${this.known.map((id) => `'${id}'`).join(", ")}]`
  }
}

/** A message id that no inbox of the caller's and no log entry knows (or one past the archive TTL). */
export class MessageNotFound extends Schema.TaggedError<MessageNotFound>()("MessageNotFound", {
  messageId: Schema.String
}) {
  override get message() {
    return `No message '${this.messageId}' is known to you (unknown, or older than the archive TTL). Use the message_id that send_message returned or get_messages showed.`
  }
}

/** The caller is neither the sender nor a recipient of a message, or no participant of a thread. */
export class NotAParticipant extends Schema.TaggedError<NotAParticipant>()("NotAParticipant", {
  agentId: Schema.String,
  what: Schema.String
}) {
  override get message() {
    return `'${this.agentId}' may not see ${this.what}: only its sender and its recipients may. Ask one of them.`
  }
}

/** Every error a bus tool can report to its caller. */
export type BusError =
  | InvalidInput
  | RecipientNotFound
  | MessageTooLarge
  | InboxFull
  | NotRegistered
  | MessageNotFound
  | NotAParticipant
  | RegistryUnavailable
  | MailboxUnavailable
  | BusDirRefused
