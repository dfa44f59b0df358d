import { Logger, LogLevel } from "effect"

/** Logs to stderr only (stdout is the MCP channel), at `HELIOY_BUS_LOG_LEVEL` (default Info). */
export const StderrLogger = Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))

/** The minimum level logged, from HELIOY_BUS_LOG_LEVEL. */
export const logLevel = Logger.minimumLogLevel(
  LogLevel.allLevels.find((level) => level.label === process.env.HELIOY_BUS_LOG_LEVEL?.toUpperCase()) ?? LogLevel.Info
)
