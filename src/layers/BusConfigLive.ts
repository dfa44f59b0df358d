import { homedir } from "node:os"
import { join } from "node:path"
import { Config, Duration, Effect, Layer } from "effect"
import { BusConfig, type BusConfigShape } from "../services/BusConfig.js"

/** Reads the bus settings from the environment, with defaults; fails with a ConfigError naming a malformed variable. */
export const make: Effect.Effect<BusConfigShape, import("effect/ConfigError").ConfigError> = Effect.gen(function*() {
  const busDir = yield* Config.string("HELIOY_BUS_DIR").pipe(
    Config.withDefault(join(homedir(), ".helioy", "bus"))
  )
  const maxMessageBytes = yield* Config.integer("HELIOY_BUS_MAX_MESSAGE_BYTES").pipe(Config.withDefault(256 * 1024))
  const maxUnread = yield* Config.integer("HELIOY_BUS_MAX_UNREAD").pipe(Config.withDefault(10_000))
  const throttleSeconds = yield* Config.number("HELIOY_BUS_NUDGE_THROTTLE_SECONDS").pipe(Config.withDefault(30))
  const archiveDays = yield* Config.number("HELIOY_BUS_ARCHIVE_TTL_DAYS").pipe(Config.withDefault(7))
  const busyMillis = yield* Config.integer("HELIOY_BUS_BUSY_TIMEOUT_MS").pipe(Config.withDefault(5_000))
  const tmuxBin = yield* Config.string("HELIOY_TMUX_BIN").pipe(Config.withDefault("tmux"))
  const confirmMillis = yield* Config.integer("HELIOY_BUS_NUDGE_CONFIRM_MS").pipe(Config.withDefault(2_000))
  const sessionWaitSeconds = yield* Config.number("HELIOY_BUS_SESSION_WAIT_SECONDS").pipe(Config.withDefault(30))
  const mailWatch = yield* Config.boolean("HELIOY_BUS_MAIL_WATCH").pipe(Config.withDefault(true))
  const rescanSeconds = yield* Config.number("HELIOY_BUS_MAIL_RESCAN_SECONDS").pipe(Config.withDefault(5))
  return {
    busDir,
    maxMessageBytes,
    maxUnread,
    nudgeThrottle: Duration.seconds(throttleSeconds),
    nudgeEnterDelay: Duration.millis(150),
    nudgeConfirmTimeout: Duration.millis(confirmMillis),
    sessionWait: Duration.seconds(sessionWaitSeconds),
    mailWatch,
    mailRescan: Duration.seconds(rescanSeconds),
    archiveTtl: Duration.days(archiveDays),
    busyTimeout: Duration.millis(busyMillis),
    tmuxBin
  }
})

/** The bus settings from the environment. */
export const layer = Layer.effect(BusConfig, make)

/** Fixed settings for tests, with any field overridden. */
export const layerWith = (overrides: Partial<BusConfigShape> & { readonly busDir: string }) =>
  Layer.succeed(BusConfig, {
    maxMessageBytes: 256 * 1024,
    maxUnread: 10_000,
    nudgeThrottle: Duration.seconds(30),
    nudgeEnterDelay: Duration.millis(150),
    nudgeConfirmTimeout: Duration.seconds(2),
    sessionWait: Duration.seconds(30),
    mailWatch: true,
    mailRescan: Duration.seconds(5),
    archiveTtl: Duration.days(7),
    busyTimeout: Duration.millis(5_000),
    tmuxBin: "tmux",
    ...overrides
  })
