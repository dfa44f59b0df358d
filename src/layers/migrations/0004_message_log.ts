import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const statements = [
  `CREATE TABLE IF NOT EXISTS messages (
    message_id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    in_reply_to TEXT,
    from_agent TEXT NOT NULL,
    topic TEXT,
    priority TEXT NOT NULL DEFAULT 'normal',
    ack_required INTEGER NOT NULL DEFAULT 0,
    ack_notify INTEGER NOT NULL DEFAULT 1,
    sent_at TEXT NOT NULL,
    content TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS idx_messages_thread ON messages(thread_id, sent_at)`,
  `CREATE INDEX IF NOT EXISTS idx_messages_sent ON messages(sent_at)`,
  `CREATE INDEX IF NOT EXISTS idx_messages_from ON messages(from_agent)`,
  `CREATE TABLE IF NOT EXISTS message_recipients (
    message_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    PRIMARY KEY (message_id, agent_id)
  ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS idx_message_recipients_agent ON message_recipients(agent_id)`,
  `CREATE TABLE IF NOT EXISTS acknowledgements (
    message_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (message_id, agent_id)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS message_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5(
    topic, content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
  )`,
  `CREATE TRIGGER IF NOT EXISTS messages_indexed AFTER INSERT ON messages BEGIN
    INSERT INTO message_search(rowid, topic, content) VALUES (new.rowid, new.topic, new.content);
  END`,
  `CREATE TRIGGER IF NOT EXISTS messages_unindexed AFTER DELETE ON messages BEGIN
    INSERT INTO message_search(message_search, rowid, topic, content) VALUES ('delete', old.rowid, old.topic, old.content);
  END`
]

/**
 * The message log: one row per message (its thread, priority, content), one per recipient, the acknowledgements, and
 * a full-text index (FTS5 over topic and content) kept in step by triggers.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
