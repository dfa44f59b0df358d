import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Each agent's host (`HELIOY_HOST`): a column with a default, '' for rows written before it (this host's). */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const columns = yield* sql.unsafe<{ readonly name: string }>(`PRAGMA table_info(agents)`)
  if (!columns.some((c) => c.name === "host")) {
    yield* sql.unsafe(`ALTER TABLE agents ADD COLUMN host TEXT NOT NULL DEFAULT ''`)
  }
})
