import { Effect, Layer, Logger, LogLevel } from "effect"
import { logLevelConfig } from "../layers/BusConfigLive.js"

/** Logs to stderr only (stdout is the MCP channel). */
export const StderrLogger = Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))

/** The minimum level logged, from HELIOY_BUS_LOG_LEVEL (default Info; an unknown level is Info too). */
export const logLevel = Layer.unwrapEffect(
  Effect.map(Effect.orElseSucceed(logLevelConfig, () => LogLevel.Info), Logger.minimumLogLevel)
)
