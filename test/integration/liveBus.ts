/** The live bus layers in-process, configured by a ConfigProvider instead of the environment, over a fresh temp dir. */
import { ConfigProvider, type Context, Effect, Layer } from "effect"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BusLive, type BusServices } from "../../src/layers/AppLive.js"

/** A fresh temporary directory, removed when the scope closes. */
export const tempDir = (prefix = "helioy-it-") =>
  Effect.acquireRelease(
    Effect.sync(() => fs.mkdtempSync(join(tmpdir(), prefix))),
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

/** Builds BusLive once in the current scope, reading its settings (HELIOY_BUS_DIR, ...) from `env` only. */
export const buildLiveBus = (env: Record<string, string>) =>
  Layer.build(BusLive).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

/** Runs a bus program against built live services. */
export const runOn = (services: Context.Context<BusServices>) => <A, E>(program: Effect.Effect<A, E, BusServices>) =>
  Effect.provide(program, services)
