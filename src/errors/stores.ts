/**
 * The errors of the bus's stores (registry, mailboxes, bus dir): a sentence, the errno or SQLite `code`, the original
 * `cause`.
 */
import { Schema } from "effect"

/** What every store failure carries: why in words, the errno or SQLite code when there is one, the original failure. */
const structured = {
  reason: Schema.String,
  code: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}

/** The registry could not be read or written (locked past the busy timeout, unreadable, corrupt). */
export class RegistryUnavailable extends Schema.TaggedError<RegistryUnavailable>()("RegistryUnavailable", structured) {
  override get message() {
    return `registry unavailable: ${this.reason}`
  }
}

/** A mailbox file operation failed (disk full, read-only bus dir, permissions). */
export class MailboxUnavailable extends Schema.TaggedError<MailboxUnavailable>()("MailboxUnavailable", {
  agentId: Schema.String,
  ...structured
}) {
  override get message() {
    return `mailbox of '${this.agentId}' unavailable: ${this.reason}`
  }
}

/** The bus directory is unsafe to use (a symlink, writable by others, owned by someone else, not a directory). */
export class BusDirRefused extends Schema.TaggedError<BusDirRefused>()("BusDirRefused", {
  path: Schema.String,
  ...structured
}) {
  override get message() {
    return `refusing bus dir ${this.path}: ${this.reason}`
  }
}
