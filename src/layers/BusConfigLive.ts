import { Config, type ConfigError, Duration, Effect, Layer, LogLevel, Option, Redacted } from "effect"
import { homedir, hostname } from "node:os"
import { join } from "node:path"
import { BusConfig, type BusConfigShape } from "../services/BusConfig.js"

/** Every setting's default. */
export const defaults: BusConfigShape = {
  busDir: join(homedir(), ".helioy", "bus"),
  maxMessageBytes: 256 * 1024,
  maxUnread: 10_000,
  nudgeThrottle: Duration.seconds(30),
  nudgeEnterDelay: Duration.millis(150),
  nudgeConfirmTimeout: Duration.seconds(2),
  sessionWait: Duration.seconds(30),
  mailWatch: true,
  mailRescan: Duration.seconds(5),
  archiveTtl: Duration.days(7),
  busyTimeout: Duration.seconds(5),
  tmuxBin: "tmux",
  warroomReadyWait: Duration.seconds(60),
  reposBase: join(homedir(), "Dev"),
  codexDaemon: true,
  busUrl: Option.none(),
  pgSchema: "helioy_bus",
  host: hostname(),
  staleAfter: Duration.seconds(120)
}

/** A setting read by `read`, with its default and what it means. */
const setting = <A>(read: Config.Config<A>, fallback: A, description: string) =>
  read.pipe(Config.withDefault(fallback), Config.withDescription(description))

const seconds = (name: string, fallback: Duration.Duration, description: string) =>
  setting(Config.map(Config.number(name), Duration.seconds), fallback, `${description} (seconds)`)

const millis = (name: string, fallback: Duration.Duration, description: string) =>
  setting(Config.map(Config.integer(name), Duration.millis), fallback, `${description} (milliseconds)`)

/** The log level, for the logger (set up before any service): `HELIOY_BUS_LOG_LEVEL`, default Info. */
export const logLevelConfig: Config.Config<LogLevel.LogLevel> = setting(
  Config.logLevel("HELIOY_BUS_LOG_LEVEL"),
  LogLevel.Info,
  "the least severe level logged to stderr: All, Trace, Debug, Info, Warning, Error, Fatal or None"
)

/** The bus settings and the environment variables they come from. */
export const config: Config.Config<BusConfigShape> = Config.all({
  busDir: setting(Config.string("HELIOY_BUS_DIR"), defaults.busDir, "the shared bus directory"),
  maxMessageBytes: setting(
    Config.integer("HELIOY_BUS_MAX_MESSAGE_BYTES"),
    defaults.maxMessageBytes,
    "the largest message content accepted, in UTF-8 bytes"
  ),
  maxUnread: setting(
    Config.integer("HELIOY_BUS_MAX_UNREAD"),
    defaults.maxUnread,
    "the most unread messages an inbox holds before sends to it are refused"
  ),
  nudgeThrottle: seconds(
    "HELIOY_BUS_NUDGE_THROTTLE_SECONDS",
    defaults.nudgeThrottle,
    "the least time between two wakes of one agent"
  ),
  nudgeEnterDelay: Config.succeed(defaults.nudgeEnterDelay),
  nudgeConfirmTimeout: millis(
    "HELIOY_BUS_NUDGE_CONFIRM_MS",
    defaults.nudgeConfirmTimeout,
    "how long a typed nudge watches for its turn to start"
  ),
  sessionWait: seconds(
    "HELIOY_BUS_SESSION_WAIT_SECONDS",
    defaults.sessionWait,
    "how long a hook waits for its session to be registered"
  ),
  mailWatch: setting(
    Config.boolean("HELIOY_BUS_MAIL_WATCH"),
    defaults.mailWatch,
    "whether mail waiters watch inboxes for change events (off for file systems without them)"
  ),
  mailRescan: seconds(
    "HELIOY_BUS_MAIL_RESCAN_SECONDS",
    defaults.mailRescan,
    "how often a mail waiter re-scans its inbox anyway"
  ),
  archiveTtl: setting(
    Config.map(Config.number("HELIOY_BUS_ARCHIVE_TTL_DAYS"), Duration.days),
    defaults.archiveTtl,
    "how long read messages stay in archive/ (days)"
  ),
  busyTimeout: millis(
    "HELIOY_BUS_BUSY_TIMEOUT_MS",
    defaults.busyTimeout,
    "how long a registry write waits for another process's lock"
  ),
  tmuxBin: setting(Config.string("HELIOY_TMUX_BIN"), defaults.tmuxBin, "the tmux binary"),
  warroomReadyWait: seconds(
    "HELIOY_WARROOM_READY_SECONDS",
    defaults.warroomReadyWait,
    "how long a warroom spawn waits for its members"
  ),
  reposBase: setting(
    Config.string("HELIOY_BASE"),
    defaults.reposBase,
    "where warroom_spawn_repos looks for git repositories"
  ),
  codexDaemon: setting(
    Config.boolean("HELIOY_CODEX_DAEMON"),
    defaults.codexDaemon,
    "whether the Codex launch wrapper wakes its session through the Codex daemon"
  ),
  busUrl: setting(
    Config.option(Config.redacted("HELIOY_BUS_URL")).pipe(
      Config.map((url) => Option.filter(url, (value) => Redacted.value(value).trim() !== ""))
    ),
    defaults.busUrl,
    "a postgres:// URL: the bus in PostgreSQL instead of the bus dir's registry and mailboxes"
  ),
  pgSchema: setting(
    Config.string("HELIOY_BUS_PG_SCHEMA").pipe(
      Config.validate({
        message: "a schema name: letters, digits and _, starting with a letter or _",
        validation: (name) => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)
      })
    ),
    defaults.pgSchema,
    "the PostgreSQL schema of the bus"
  ),
  host: setting(
    Config.string("HELIOY_HOST").pipe(Config.map((name) => name.trim() === "" ? defaults.host : name)),
    defaults.host,
    "this machine's name in the registry"
  ),
  staleAfter: seconds(
    "HELIOY_BUS_STALE_SECONDS",
    defaults.staleAfter,
    "how long an agent of another host stays live without a heartbeat"
  )
})

/** Reads the bus settings from the environment, with defaults; fails with a ConfigError naming a malformed variable. */
export const make: Effect.Effect<BusConfigShape, ConfigError.ConfigError> = config

/** The bus settings from the environment, any field overridden. */
export const layerFromEnv = (overrides: Partial<BusConfigShape> = {}) =>
  Layer.effect(BusConfig, Effect.map(make, (read) => ({ ...read, ...overrides })))

/** Fixed settings: the defaults, any field overridden (tests, embedding). */
export const layer = (overrides: Partial<BusConfigShape> = {}) =>
  Layer.succeed(BusConfig, { ...defaults, ...overrides })
