import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const tables = [
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
    token_usage TEXT NOT NULL DEFAULT '{}'
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
    status TEXT NOT NULL DEFAULT 'active'
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
    updated_at TEXT NOT NULL
  )`
]

const addedColumns: ReadonlyArray<readonly [table: string, column: string, definition: string]> = [
  ["agents", "session_id", "TEXT NOT NULL DEFAULT ''"],
  ["agents", "agent_type", "TEXT NOT NULL DEFAULT 'general'"],
  ["agents", "runtime", "TEXT NOT NULL DEFAULT 'unknown'"],
  ["agents", "profile", "TEXT"],
  ["agents", "token_usage", "TEXT NOT NULL DEFAULT '{}'"],
  ["agents", "pane_id", "TEXT NOT NULL DEFAULT ''"],
  ["agents", "tmux_target", "TEXT NOT NULL DEFAULT ''"],
  ["warrooms", "layout", "TEXT NOT NULL DEFAULT 'tiled'"],
  ["warrooms", "runtime_policy", "TEXT"],
  ["warrooms", "metadata", "TEXT"]
]

/** The reference's schema: creates what is missing and adds the columns older reference databases lack. */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of tables) yield* sql.unsafe(statement)
  for (const [table, column, definition] of addedColumns) {
    const columns = yield* sql.unsafe<{ readonly name: string }>(`PRAGMA table_info(${table})`)
    if (!columns.some((c) => c.name === column)) {
      yield* sql.unsafe(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`)
    }
  }
  const memberColumns = yield* sql.unsafe<{ readonly name: string }>(`PRAGMA table_info(warroom_members)`)
  if (memberColumns.some((c) => c.name === "desired_role")) {
    yield* sql.unsafe(
      `CREATE INDEX IF NOT EXISTS idx_warroom_members_warroom_order ON warroom_members(warroom_id, spawn_order)`
    )
    yield* sql.unsafe(
      `CREATE INDEX IF NOT EXISTS idx_warroom_members_warroom_target ON warroom_members(warroom_id, tmux_target)`
    )
  }
})
