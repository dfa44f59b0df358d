import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import { join } from "node:path"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirLive from "../../src/layers/BusDirLive.js"
import * as MailboxLive from "../../src/layers/MailboxLive.js"
import * as MailboxTest from "../../src/layers/MailboxTest.js"
import * as MessageLogLive from "../../src/layers/MessageLogLive.js"
import * as MessageLogTest from "../../src/layers/MessageLogTest.js"
import * as RegistryLive from "../../src/layers/RegistryLive.js"
import * as RegistryTest from "../../src/layers/RegistryTest.js"
import * as SqlLive from "../../src/layers/SqlLive.js"
import type { BusConfigShape } from "../../src/services/BusConfig.js"
import { Mailbox } from "../../src/services/Mailbox.js"

/** A fresh bus directory (mkdtemp: mode 0700), removed with everything in it when the scope closes. */
export const freshBusDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(join(os.tmpdir(), "helioy-unit-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/** Settings a mailbox or registry layer may be built with in a unit test. */
export type UnitConfig = Partial<Omit<BusConfigShape, "busDir">>

/** The SQLite registry over a fresh bus dir; each build of the layer gets its own directory and database. */
export const registryLive = Layer.unwrapScoped(Effect.map(freshBusDir, (busDir) =>
  RegistryLive.layer.pipe(
    Layer.provide(SqlLive.layer),
    Layer.provide(BusDirLive.layer),
    Layer.provide(BusConfigLive.layer({ busDir }))
  )))

/** The SQLite message log over a fresh bus dir, each build with its own database. */
export const messageLogLive = Layer.unwrapScoped(Effect.map(freshBusDir, (busDir) =>
  MessageLogLive.layer.pipe(
    Layer.provide(SqlLive.layer),
    Layer.provide(BusDirLive.layer),
    Layer.provide(BusConfigLive.layer({ busDir }))
  )))

/** The in-memory message log. */
export const messageLogTest = MessageLogTest.layerTest

/** The in-memory registry. */
export const registryTest = RegistryTest.layerTest

/** The file mailbox over a fresh bus dir, with the bus dir and settings it uses (for file checks). */
export const mailboxLive = (config: UnitConfig = {}) =>
  Layer.unwrapScoped(Effect.map(freshBusDir, (busDir) => {
    const settings = BusConfigLive.layer({ ...config, busDir })
    const dir = BusDirLive.layer.pipe(Layer.provide(settings))
    return MailboxLive.layer.pipe(Layer.provideMerge(Layer.merge(dir, settings)))
  }))

/** The in-memory mailbox with the same unread cap. */
export const mailboxTest = (config: UnitConfig = {}) =>
  Layer.effect(Mailbox, MailboxTest.make(config.maxUnread === undefined ? {} : { maxUnread: config.maxUnread }))
