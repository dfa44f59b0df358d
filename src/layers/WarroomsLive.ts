import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { BusConfig } from "../services/BusConfig.js"
import { Warrooms } from "../services/Warrooms.js"
import { registryUnavailable } from "./registryUnavailable.js"
import { warroomQueries } from "./sql/warroomQueries.js"

// The row builders, still under the names this module exported before they moved.
export { memberRow, warroomRow } from "./sql/warroomRows.js"

/**
 * Builds the warroom store on the registry's SqlClient (transactions are BEGIN IMMEDIATE); SQL failures become
 * RegistryUnavailable.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { busyTimeout } = yield* BusConfig
  return warroomQueries({
    sql,
    unavailable: registryUnavailable(busyTimeout),
    insertionOrder: "rowid",
    // BEGIN IMMEDIATE already serialises every writer.
    lockName: () => Effect.void,
    agentDiffers: (agentInstanceId) => sql`agent_instance_id IS NOT ${agentInstanceId}`
  })
})

/** The warroom store on SQLite. */
export const layer = Layer.effect(Warrooms, make)
