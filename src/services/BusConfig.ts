import { Context, type Duration, type Option, type Redacted } from "effect"

/** Settings of the bus, read once per process. */
export interface BusConfigShape {
  /** The shared bus directory (`HELIOY_BUS_DIR`, default `~/.helioy/bus`). */
  readonly busDir: string
  /** The largest message content accepted, in UTF-8 bytes (`HELIOY_BUS_MAX_MESSAGE_BYTES`, default 256 KiB). */
  readonly maxMessageBytes: number
  /** The most unread messages one inbox may hold before sends to it are refused (`HELIOY_BUS_MAX_UNREAD`). */
  readonly maxUnread: number
  /** The least time between two nudges of one recipient (`HELIOY_BUS_NUDGE_THROTTLE_SECONDS`, default 30 s). */
  readonly nudgeThrottle: Duration.Duration
  /** The pause between typing the nudge text and pressing Enter (default 150 ms). */
  readonly nudgeEnterDelay: Duration.Duration
  /**
   * How long a typed nudge watches the pane for its turn to start, per Enter (`HELIOY_BUS_NUDGE_CONFIRM_MS`, default 2
   * s).
   */
  readonly nudgeConfirmTimeout: Duration.Duration
  /**
   * How long a hook waits for its session to be registered by a concurrent hook or the launch wrapper
   * (`HELIOY_BUS_SESSION_WAIT_SECONDS`, default 30 s).
   */
  readonly sessionWait: Duration.Duration
  /**
   * Whether mail waiters watch inboxes for change events (`HELIOY_BUS_MAIL_WATCH`, default on; off for file systems
   * without them).
   */
  readonly mailWatch: boolean
  /**
   * How often a mail waiter re-scans its inbox anyway, so a missed event never loses a wake
   * (`HELIOY_BUS_MAIL_RESCAN_SECONDS`, default 5 s).
   */
  readonly mailRescan: Duration.Duration
  /** How long read messages stay in `archive/` (`HELIOY_BUS_ARCHIVE_TTL_DAYS`, default 7 days). */
  readonly archiveTtl: Duration.Duration
  /** How long a registry write waits for another process's lock (`HELIOY_BUS_BUSY_TIMEOUT_MS`, default 5 s). */
  readonly busyTimeout: Duration.Duration
  /** The tmux binary (`HELIOY_TMUX_BIN`, default `tmux` on PATH). */
  readonly tmuxBin: string
  /**
   * How long a warroom spawn waits for its members to become ready by default (`HELIOY_WARROOM_READY_SECONDS`, default
   * 60 s).
   */
  readonly warroomReadyWait: Duration.Duration
  /** Where `warroom_spawn_repos` looks for repositories (`HELIOY_BASE`, default `~/Dev`). */
  readonly reposBase: string
  /**
   * Whether the Codex launch wrapper relays through the Codex daemon to wake its session (`HELIOY_CODEX_DAEMON`,
   * default on).
   */
  readonly codexDaemon: boolean
  /**
   * The PostgreSQL bus to use instead of the bus dir's registry and mailboxes (`HELIOY_BUS_URL` or `serve --bus-url`, a
   * `postgres://` or `postgresql://` URL); none for the file bus.
   */
  readonly busUrl: Option.Option<Redacted.Redacted<string>>
  /** The schema of the PostgreSQL bus (`HELIOY_BUS_PG_SCHEMA`, default `helioy_bus`); no other schema is touched. */
  readonly pgSchema: string
  /** This machine's name in the registry (`HELIOY_HOST`, default the hostname): whose panes and processes it can see. */
  readonly host: string
  /**
   * How long an agent of another host stays live without a heartbeat (`HELIOY_BUS_STALE_SECONDS`, default 120 s); a
   * stale one gets no role or broadcast sends.
   */
  readonly staleAfter: Duration.Duration
}

/** The bus settings. */
export class BusConfig extends Context.Tag("helioy/BusConfig")<BusConfig, BusConfigShape>() {}
