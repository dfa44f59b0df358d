/**
 * The PostgreSQL bus's schema, one migration per entry; applied in one transaction under an advisory lock, every
 * statement idempotent and unqualified (the connection's search_path is the bus's schema alone).
 */

/** The migrations, by id: what each creates (the ids and meaning of the SQLite registry's, plus the mailboxes). */
export const pgMigrations: ReadonlyArray<
  { readonly id: number; readonly name: string; readonly statements: ReadonlyArray<string> }
> = [
  {
    id: 1,
    name: "bus_schema",
    statements: [
      `CREATE TABLE IF NOT EXISTS agents (
        agent_id TEXT PRIMARY KEY,
        cwd TEXT NOT NULL,
        tmux_target TEXT NOT NULL DEFAULT '',
        pane_id TEXT NOT NULL DEFAULT '',
        pid INTEGER,
        session_id TEXT NOT NULL DEFAULT '',
        agent_type TEXT NOT NULL DEFAULT 'general',
        runtime TEXT NOT NULL DEFAULT 'unknown',
        profile TEXT,
        registered_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        token_usage TEXT NOT NULL DEFAULT '{}',
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`,
      `CREATE TABLE IF NOT EXISTS nudge_log (agent_id TEXT NOT NULL, nudged_at TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS idx_nudge_log_agent ON nudge_log(agent_id, nudged_at)`,
      `CREATE TABLE IF NOT EXISTS warrooms (
        warroom_id TEXT PRIMARY KEY,
        tmux_session TEXT NOT NULL,
        tmux_window TEXT NOT NULL,
        cwd TEXT NOT NULL,
        layout TEXT NOT NULL DEFAULT 'tiled',
        runtime_policy TEXT,
        metadata TEXT,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`,
      `CREATE TABLE IF NOT EXISTS warroom_members (
        warroom_member_id TEXT PRIMARY KEY,
        warroom_id TEXT NOT NULL REFERENCES warrooms(warroom_id) ON DELETE CASCADE,
        desired_runtime TEXT NOT NULL,
        desired_role TEXT NOT NULL,
        desired_repo TEXT,
        state TEXT NOT NULL DEFAULT 'pending',
        agent_instance_id TEXT,
        spawn_order INTEGER NOT NULL,
        tmux_target TEXT NOT NULL,
        pane_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`,
      `CREATE INDEX IF NOT EXISTS idx_warroom_members_warroom_order ON warroom_members(warroom_id, spawn_order)`
    ]
  },
  {
    id: 2,
    name: "wakes",
    statements: [
      `CREATE TABLE IF NOT EXISTS wakes (
        agent_id TEXT NOT NULL,
        message_id TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL,
        at TEXT NOT NULL,
        confirmed INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '',
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`,
      `CREATE INDEX IF NOT EXISTS idx_wakes_agent ON wakes(agent_id, at)`
    ]
  },
  {
    id: 3,
    name: "hosts_and_messages",
    statements: [
      `ALTER TABLE agents ADD COLUMN IF NOT EXISTS host TEXT NOT NULL DEFAULT ''`,
      `CREATE TABLE IF NOT EXISTS messages (
        recipient TEXT NOT NULL,
        file TEXT NOT NULL,
        id TEXT NOT NULL,
        sender TEXT NOT NULL,
        topic TEXT,
        body TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'archived', 'quarantined')),
        delivered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        read_at TIMESTAMPTZ,
        reason TEXT,
        PRIMARY KEY (recipient, file)
      )`,
      `CREATE INDEX IF NOT EXISTS idx_messages_unread ON messages(recipient, file) WHERE state = 'unread'`,
      `CREATE INDEX IF NOT EXISTS idx_messages_archived ON messages(read_at) WHERE state = 'archived'`
    ]
  },
  {
    id: 4,
    name: "message_log",
    statements: [
      `CREATE INDEX IF NOT EXISTS idx_messages_id ON messages(recipient, id)`,
      `CREATE INDEX IF NOT EXISTS idx_wakes_message ON wakes(message_id)`,
      `CREATE TABLE IF NOT EXISTS message_log (
        message_id TEXT PRIMARY KEY,
        thread_id TEXT NOT NULL,
        in_reply_to TEXT,
        from_agent TEXT NOT NULL,
        topic TEXT,
        priority TEXT NOT NULL DEFAULT 'normal',
        ack_required BOOLEAN NOT NULL DEFAULT false,
        ack_notify BOOLEAN NOT NULL DEFAULT true,
        sent_at TEXT NOT NULL,
        content TEXT NOT NULL,
        seq BIGINT GENERATED ALWAYS AS IDENTITY
      )`,
      `CREATE INDEX IF NOT EXISTS idx_message_log_thread ON message_log(thread_id, sent_at)`,
      `CREATE INDEX IF NOT EXISTS idx_message_log_sent ON message_log(sent_at)`,
      `CREATE INDEX IF NOT EXISTS idx_message_log_search ON message_log
        USING GIN (to_tsvector('simple', coalesce(topic, '') || ' ' || content))`,
      `CREATE TABLE IF NOT EXISTS message_log_recipients (
        message_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        PRIMARY KEY (message_id, agent_id)
      )`,
      `CREATE INDEX IF NOT EXISTS idx_message_log_recipients_agent ON message_log_recipients(agent_id)`,
      `CREATE TABLE IF NOT EXISTS acknowledgements (
        message_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (message_id, agent_id)
      )`,
      `CREATE TABLE IF NOT EXISTS message_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`
    ]
  }
]

/** The id of the latest PostgreSQL migration this code knows. */
export const latestPgMigration = Math.max(...pgMigrations.map((migration) => migration.id))
