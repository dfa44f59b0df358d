import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The wake log: how each recipient was woken for a message, when, and whether a turn was seen to start. */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS wakes (
    agent_id TEXT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL,
    at TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT ''
  )`)
  yield* sql.unsafe(`CREATE INDEX IF NOT EXISTS idx_wakes_agent ON wakes(agent_id, at)`)
  yield* sql.unsafe(`CREATE INDEX IF NOT EXISTS idx_wakes_message ON wakes(message_id)`)
})
