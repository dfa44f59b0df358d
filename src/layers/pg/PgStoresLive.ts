/**
 * The stores of a PostgreSQL bus (registry, warroom store, mailboxes) on one pool, migrated once; loaded only when
 * HELIOY_BUS_URL names PostgreSQL, so a file bus never loads the driver.
 */
import { Reactivity } from "@effect/experimental"
import { Effect, Layer } from "effect"
import type { ExportedBus } from "../../programs/exportBus.js"
import * as MailboxPg from "../MailboxPg.js"
import * as MessageLogPg from "../MessageLogPg.js"
import * as RegistryPg from "../RegistryPg.js"
import * as WarroomsPg from "../WarroomsPg.js"
import { importBus } from "./busImport.js"
import * as PgBus from "./PgBus.js"

/** Registry, Warrooms, Mailbox and MessageLog on the PostgreSQL bus of BusConfig; fails with RegistryUnavailable when unusable. */
export const layer = Layer.mergeAll(RegistryPg.layer, WarroomsPg.layer, MailboxPg.layer, MessageLogPg.layer).pipe(
  Layer.provide(PgBus.layer)
)

export { layer as backendLayer } from "./BusBackendPg.js"

/**
 * Copies an exported file bus into the PostgreSQL bus of BusConfig (migrated first), once (see `importBus`); fails
 * with RegistryUnavailable naming the masked URL.
 */
export const importExported = (exported: ExportedBus, host: string) =>
  Effect.scoped(Effect.flatMap(PgBus.make(), (bus) => importBus(bus, exported, host))).pipe(
    Effect.provide(Reactivity.layer)
  )
