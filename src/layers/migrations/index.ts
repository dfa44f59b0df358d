import type { SqlClient } from "@effect/sql"
import type { Effect } from "effect"
import referenceSchema from "./0001_reference_schema.js"
import wakes from "./0002_wakes.js"
import hosts from "./0003_hosts.js"
import messageLog from "./0004_message_log.js"

/** Every registry migration, by `<id>_<name>`; each is idempotent on a database the reference created. */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_reference_schema": referenceSchema,
  "2_wakes": wakes,
  "3_hosts": hosts,
  "4_message_log": messageLog
}

/** The id of the latest migration this code knows. */
export const latestMigration = Math.max(...Object.keys(migrations).map((key) => Number.parseInt(key, 10)))
