import type { FileSystem } from "@effect/platform"
// Modules, not the package's index: the index also loads its HTTP client (undici) and sockets (ws) into every server.
import * as NodeCommandExecutor from "@effect/platform-node/NodeCommandExecutor"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { type ConfigError, Effect, Layer, Option, Redacted } from "effect"
import { RegistryUnavailable } from "../errors/stores.js"
import type { AgentCatalog } from "../services/AgentCatalog.js"
import { BusBackend } from "../services/BusBackend.js"
import { BusConfig } from "../services/BusConfig.js"
import type { BusDir } from "../services/BusDir.js"
import type { BusDirCheck } from "../services/BusDirCheck.js"
import type { Identity } from "../services/Identity.js"
import type { Mailbox } from "../services/Mailbox.js"
import type { MessageLog } from "../services/MessageLog.js"
import type { Nudge } from "../services/Nudge.js"
import type { PidFiles } from "../services/PidFiles.js"
import type { Presets } from "../services/Presets.js"
import type { Processes } from "../services/Processes.js"
import type { Registry } from "../services/Registry.js"
import type { Runtimes } from "../services/Runtimes.js"
import type { SessionEnv } from "../services/SessionEnv.js"
import type { Tmux } from "../services/Tmux.js"
import type { Warrooms } from "../services/Warrooms.js"
import * as BusConfigLive from "./BusConfigLive.js"
import * as BusDirCheckLive from "./BusDirCheckLive.js"
import * as BusDirLive from "./BusDirLive.js"
import * as IdentityLive from "./IdentityLive.js"
import * as MailboxLive from "./MailboxLive.js"
import * as MessageLogLive from "./MessageLogLive.js"
import * as NudgeLive from "./NudgeLive.js"
import { isPostgresUrl, maskedUrl } from "./pg/busUrl.js"
import * as PidFilesLive from "./PidFilesLive.js"
import * as ProcessesLive from "./ProcessesLive.js"
import * as RegistryLive from "./RegistryLive.js"
import * as RuntimesLive from "./RuntimesLive.js"
import * as SessionEnvLive from "./SessionEnvLive.js"
import * as SqlLive from "./SqlLive.js"
import * as TmuxLive from "./TmuxLive.js"
import * as WarroomsLive from "./WarroomsLive.js"

/** Every service a bus program may use. */
export type BusServices =
  | BusConfig
  | BusDir
  | Registry
  | Warrooms
  | Mailbox
  | MessageLog
  | Tmux
  | Nudge
  | Processes
  | Identity
  | Runtimes
  | PidFiles
  | SessionEnv

const CommandExecutorLive = NodeCommandExecutor.layer.pipe(Layer.provide(NodeFileSystem.layer))

/** The stores of registry.db on one SqlClient (one connection, one lock). */
const RegistryDbLive = Layer.mergeAll(RegistryLive.layer, WarroomsLive.layer, MessageLogLive.layer).pipe(
  Layer.provide(SqlLive.layer)
)

/** The PostgreSQL stores' module, imported when the graph is built on a postgres URL: a file bus never loads it. */
const pgStores = Effect.promise(() => import("./pg/PgStoresLive.js"))

/**
 * Which stores a configured URL selects: none for the file bus, the PostgreSQL module for a postgres URL; fails
 * with RegistryUnavailable for any other URL.
 */
const storesFor = <A, E, R>(
  file: Layer.Layer<A, E, R>,
  pg: (module: typeof import("./pg/PgStoresLive.js")) => Layer.Layer<A, RegistryUnavailable, BusConfig>
) =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const { busUrl } = yield* BusConfig
    if (Option.isNone(busUrl)) return file as Layer.Layer<A, E | RegistryUnavailable, R | BusConfig>
    const url = Redacted.value(busUrl.value)
    if (!isPostgresUrl(url)) {
      return Layer.fail(
        new RegistryUnavailable({
          reason: `HELIOY_BUS_URL is ${
            maskedUrl(url)
          }: only postgres:// or postgresql:// URLs name a bus; unset it for the file bus`
        })
      )
    }
    return pg(yield* pgStores) as Layer.Layer<A, E | RegistryUnavailable, R | BusConfig>
  }))

/** The registry, warroom store and mailboxes: the bus dir's, or a PostgreSQL bus's when HELIOY_BUS_URL names one. */
const BusStoresLive = storesFor(Layer.merge(RegistryDbLive, MailboxLive.layer), (module) => module.layer)

const StoresLive = Layer.mergeAll(
  BusStoresLive,
  TmuxLive.layer.pipe(Layer.provide(CommandExecutorLive)),
  ProcessesLive.layer,
  PidFilesLive.layer
).pipe(Layer.provideMerge(BusDirLive.layer))

/**
 * What this process's environment says of its session, and the runtime adapters; never fails, built once per process.
 */
export const EnvLive = Layer.merge(SessionEnvLive.layer, RuntimesLive.layer)

/**
 * The live bus on a configuration and environment given by the caller: the checked bus dir, SQLite and files (or
 * PostgreSQL when HELIOY_BUS_URL names it), tmux; fails with the reason the bus dir or registry cannot be used.
 */
export const BusOn = Layer.mergeAll(NudgeLive.layer, IdentityLive.layer).pipe(Layer.provideMerge(StoresLive))

/**
 * The live bus and warroom store: configuration from the environment, the checked bus dir, SQLite, files, tmux; built
 * once per process.
 */
export const BusLive = BusOn.pipe(Layer.provideMerge(BusConfigLive.layerFromEnv()), Layer.provideMerge(EnvLive))

/** Every service a warroom program may use: the bus's, plus the agent catalogue, the presets and the file system. */
export type WarroomServices = BusServices | AgentCatalog | Presets | FileSystem.FileSystem

/** The warroom's own layers, imported when the graph is built: a bus server never loads them. */
const WarroomOnlyLive = Layer.unwrapEffect(
  Effect.promise(() => Promise.all([import("./AgentCatalogLive.js"), import("./PresetsLive.js")])).pipe(
    Effect.map(([AgentCatalogLive, PresetsLive]) =>
      Layer.mergeAll(AgentCatalogLive.layer, PresetsLive.layer, NodeFileSystem.layer)
    )
  )
)

/**
 * The live warroom graph: BusLive plus the catalogue of `$HOME`'s agent files, presets under the bus dir, Node's file
 * system.
 */
export const WarroomLive = WarroomOnlyLive.pipe(Layer.provideMerge(BusLive))

/** Every service `helioy-bus doctor` asks, and the file system it reads configuration files with. */
export type DoctorServices = BusConfig | BusDirCheck | Registry | BusBackend | Tmux | FileSystem.FileSystem

/**
 * What doctor asks of the bus's store: the bus dir's (nothing to report), or the PostgreSQL bus of HELIOY_BUS_URL,
 * connected on first use; a URL that names no PostgreSQL bus is reported by its first question.
 */
const BusBackendLive = Layer.unwrapEffect(Effect.gen(function*() {
  const { busUrl } = yield* BusConfig
  if (Option.isNone(busUrl)) return Layer.succeed(BusBackend, { report: Effect.succeed({ _tag: "Files" as const }) })
  const url = Redacted.value(busUrl.value)
  if (!isPostgresUrl(url)) {
    return Layer.succeed(BusBackend, {
      report: Effect.fail(
        new RegistryUnavailable({
          reason: `HELIOY_BUS_URL is ${maskedUrl(url)}: only postgres:// or postgresql:// URLs name a bus`
        })
      )
    })
  }
  return Layer.orDie((yield* pgStores).backendLayer)
}))

/**
 * What `helioy-bus doctor` asks, read-only: the bus dir check (nothing created), the registry over an existing
 * registry.db (never created or migrated), tmux; configuration from the environment.
 */
export const DoctorLive: Layer.Layer<DoctorServices, ConfigError.ConfigError> = Layer.mergeAll(
  RegistryLive.layer.pipe(Layer.provide(SqlLive.layerExisting)),
  BusBackendLive,
  TmuxLive.layer.pipe(Layer.provide(CommandExecutorLive)),
  BusDirCheckLive.layer,
  NodeFileSystem.layer
).pipe(Layer.provideMerge(BusConfigLive.layerFromEnv()))
