/**
 * The process entry of `helioy-bus serve` and `helioy-warroom serve`, bundled apart from the command lines: a server
 * loads what serving needs, not the CLI parser, the installer or the hook and launch commands.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer } from "effect"
import { logLevel, StderrLogger } from "../cli/logging.js"
import { version } from "../version.js"
import { serveBus, type ServeOptions } from "./busServer.js"
import { serveWarroom } from "./warroomServer.js"

/** Which server a process runs: the bus (optionally with the warroom tools), or the warroom alone. */
export type ServeKind = { readonly _tag: "Bus" } & ServeOptions | { readonly _tag: "Warroom" }

/** Runs one MCP server on stdio as the whole process, logging to stderr, until stdin ends. */
export const runServer = (kind: ServeKind): void =>
  (kind._tag === "Bus" ? serveBus(version, kind) : serveWarroom(version)).pipe(
    Effect.provide(Layer.merge(StderrLogger, logLevel)),
    NodeRuntime.runMain({ disablePrettyLogger: true })
  )
