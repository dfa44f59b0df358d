import { Layer } from "effect"
import { AgentId } from "../domain/AgentId.js"
import type { BusConfigShape } from "../services/BusConfig.js"
import * as BusConfigLive from "./BusConfigLive.js"
import * as BusDirTest from "./BusDirTest.js"
import * as IdentityTest from "./IdentityTest.js"
import * as MailboxTest from "./MailboxTest.js"
import * as MessageLogTest from "./MessageLogTest.js"
import * as NudgeLive from "./NudgeLive.js"
import * as PidFilesTest from "./PidFilesTest.js"
import * as ProcessesTest from "./ProcessesTest.js"
import * as RegistryTest from "./RegistryTest.js"
import * as RuntimesLive from "./RuntimesLive.js"
import * as SessionEnvLive from "./SessionEnvLive.js"
import * as TmuxTest from "./TmuxTest.js"
import * as WarroomsTest from "./WarroomsTest.js"

/** Options of the in-memory bus. */
export interface BusTestOptions {
  /** The id the caller resolves to until it registers (default `test:general`). */
  readonly selfId?: string
  readonly config?: Partial<BusConfigShape>
  /** The user id the fake process table reports (default 1000). */
  readonly userId?: number
}

/**
 * The whole bus in memory (registry, warrooms, mailbox, message log, recording tmux, fake processes), with the real
 * nudge rules on top.
 */
export const layerTest = (options: BusTestOptions = {}) => {
  const stores = Layer.mergeAll(
    RegistryTest.layerTest,
    WarroomsTest.layerTest,
    MailboxTest.layerWith(options.config?.maxUnread),
    MessageLogTest.layerTest,
    TmuxTest.layerTest,
    ProcessesTest.layerWith(options.userId === undefined ? {} : { userId: options.userId }),
    RuntimesLive.layerTest,
    PidFilesTest.layerTest,
    IdentityTest.layerTest(AgentId.make(options.selfId ?? "test:general")),
    BusDirTest.layerTest("/nonexistent/helioy-bus"),
    SessionEnvLive.layerWith(),
    BusConfigLive.layer({ busDir: "/nonexistent/helioy-bus", ...options.config })
  )
  return NudgeLive.layer.pipe(Layer.provideMerge(stores))
}
