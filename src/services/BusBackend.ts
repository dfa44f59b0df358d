import { Context, type Effect, type Option } from "effect"
import type { RegistryUnavailable } from "../errors/stores.js"

/** What a PostgreSQL bus says of itself, read without changing anything. */
export interface PgBusReport {
  readonly _tag: "Postgres"
  /** The URL, its password masked. */
  readonly url: string
  readonly schema: string
  /** The latest migration applied in the schema; none when the schema was never migrated. */
  readonly migration: Option.Option<number>
  /** The latest migration this helioy-bus knows. */
  readonly latestMigration: number
  /** How many agents are registered (0 before the first migration). */
  readonly agents: number
  /** The server's clock minus this host's, in milliseconds (the round trip's midpoint as this host's time). */
  readonly clockSkewMillis: number
  /** The round trip of the clock query, in milliseconds (how far the skew can be off). */
  readonly roundTripMillis: number
}

/** Where the bus's registry and mailboxes live: the bus dir, or a PostgreSQL server. */
export type BusBackendReport = { readonly _tag: "Files" } | PgBusReport

/** Which store the bus uses, and how it is doing (for `helioy-bus doctor`). */
export interface BusBackendShape {
  /** Asks the store; fails with RegistryUnavailable naming the (masked) URL and what to check when it cannot answer. */
  readonly report: Effect.Effect<BusBackendReport, RegistryUnavailable>
}

/** The bus's store, as doctor sees it. */
export class BusBackend extends Context.Tag("helioy/BusBackend")<BusBackend, BusBackendShape>() {}
