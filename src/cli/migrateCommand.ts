import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option, Redacted } from "effect"
import { RegistryUnavailable } from "../errors/stores.js"
import * as BusConfigLive from "../layers/BusConfigLive.js"
import * as BusDirLive from "../layers/BusDirLive.js"
import * as MailboxLive from "../layers/MailboxLive.js"
import { isPostgresUrl, maskedUrl } from "../layers/pg/busUrl.js"
import * as RegistryLive from "../layers/RegistryLive.js"
import * as SqlLive from "../layers/SqlLive.js"
import { exportBus } from "../programs/exportBus.js"
import { BusConfig } from "../services/BusConfig.js"

const to = Options.redacted("to").pipe(
  Options.withDescription("The postgres:// URL to copy the bus dir's registry and unread mail into.")
)

/** The file bus of HELIOY_BUS_DIR, read as it is (registry.db never created or migrated). */
const FileBusLive = Layer.merge(
  RegistryLive.layer.pipe(Layer.provide(SqlLive.layerExisting)),
  MailboxLive.layer.pipe(Layer.provide(BusDirLive.layer))
).pipe(Layer.provideMerge(BusConfigLive.layerFromEnv({ busUrl: Option.none() })))

/**
 * Copies the registry and unread mail of the bus dir into the PostgreSQL bus at `url` (created and migrated), once:
 * what is already there is skipped, the bus dir is left as it is. Fails with RegistryUnavailable or
 * MailboxUnavailable.
 */
const migrateTo = (url: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    if (!isPostgresUrl(Redacted.value(url))) {
      return yield* new RegistryUnavailable({
        reason: `--to ${maskedUrl(Redacted.value(url))}: only postgres:// or postgresql:// URLs name a bus`
      })
    }
    const { busDir, host } = yield* BusConfig
    const exported = yield* exportBus()
    const pg = yield* Effect.promise(() => import("../layers/pg/PgStoresLive.js"))
    const counts = yield* pg.importExported(exported, host).pipe(
      Effect.provide(BusConfigLive.layerFromEnv({ busUrl: Option.some(url) }))
    )
    yield* Console.log(
      `copied ${busDir} to ${
        maskedUrl(Redacted.value(url))
      }: ${counts.agents} agent(s) and ${counts.messages} unread ` +
        `message(s) added, ${counts.agentsPresent} agent(s) and ${counts.messagesPresent} message(s) already there. ` +
        "Set HELIOY_BUS_URL on every host to use it."
    )
  }).pipe(Effect.provide(FileBusLive))

/** `helioy-bus migrate --to postgres://…`: copies a file bus into PostgreSQL; a failure is one line, exit 1. */
export const migrateCommand = Command.make("migrate", { to }, (options) =>
  migrateTo(options.to).pipe(
    Effect.catchAll((error) =>
      Effect.zipRight(
        Console.error(`helioy-bus migrate: ${error.message}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )).pipe(
    Command.withDescription(
      "Copy the bus dir's registry and unread mail into a PostgreSQL bus, once (a second run adds nothing)."
    )
  )
