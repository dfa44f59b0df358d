import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join, resolve, sep } from "node:path"
import { checkDirectory, openBusTree } from "../busFiles/directories.js"
import { BusFileError, codeField } from "../busFiles/fileErrors.js"
import type { AgentId } from "../domain/AgentId.js"
import { BusDirRefused } from "../errors/stores.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir, type BusDirShape } from "../services/BusDir.js"

const refuse = (path: string, reason: string, cause?: unknown) =>
  new BusDirRefused({ path, reason, ...codeField(cause), ...(cause === undefined ? {} : { cause }) })

const ensureDir = (path: string): Effect.Effect<void, BusDirRefused> =>
  Effect.try({
    try: () => fs.mkdirSync(path, { recursive: true, mode: 0o700 }),
    catch: (error) =>
      refuse(
        path,
        `cannot create it (${(error as Error).message}); create it with mode 0700 or set HELIOY_BUS_DIR`,
        error
      )
  }).pipe(Effect.asVoid)

/**
 * Checks that a bus directory is safe to use: a real directory (no symlink) of yours, not group- or world-writable;
 * fails with BusDirRefused saying how to fix it.
 */
export const checkSafe = (path: string): Effect.Effect<void, BusDirRefused> =>
  Effect.gen(function*() {
    const stat = yield* Effect.try({
      try: () => fs.lstatSync(path),
      catch: (error) => refuse(path, `cannot read it (${(error as Error).message})`, error)
    })
    if (stat.isSymbolicLink()) {
      return yield* refuse(path, "it is a symlink; point HELIOY_BUS_DIR at the real directory instead")
    }
    if (!stat.isDirectory()) return yield* refuse(path, "it is not a directory; remove it or set HELIOY_BUS_DIR")
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) {
      return yield* refuse(path, `it is owned by uid ${stat.uid}, not by you; use a bus dir of your own`)
    }
    if ((stat.mode & 0o022) !== 0) {
      const mode = (stat.mode & 0o777).toString(8)
      return yield* refuse(path, `it is group- or world-writable (mode ${mode}); run: chmod 700 ${path}`)
    }
  })

/**
 * Creates the bus dir (0700) and its subdirectories, refusing a symlink, another user's dir or a group/world-writable
 * one.
 */
export const make = Effect.gen(function*() {
  const config = yield* BusConfig
  const root = resolve(config.busDir)
  const existed = fs.existsSync(root)
  if (!existed) {
    yield* ensureDir(root)
    yield* Effect.try({
      try: () => fs.chmodSync(root, 0o700),
      catch: (error) => refuse(root, `cannot set mode 0700 (${(error as Error).message})`, error)
    })
  }
  yield* checkSafe(root)
  const tree = yield* Effect.try({
    try: () => openBusTree(root),
    catch: (error) => refuse(root, error instanceof Error ? error.message : String(error), error)
  })
  const inboxRoot = join(root, "inbox")
  const pidsDir = join(root, "pids")
  const presetsDir = join(root, "presets")
  for (const dir of [inboxRoot, pidsDir, presetsDir]) {
    yield* Effect.try({
      try: () => checkDirectory(tree, dir, true),
      catch: (error) =>
        error instanceof BusFileError ? refuse(error.path, error.reason, error) : refuse(dir, String(error), error)
    })
  }
  const inboxDir = (agentId: AgentId): string => {
    const dir = join(inboxRoot, agentId)
    if (!dir.startsWith(inboxRoot + sep) || dir.slice(inboxRoot.length + 1).includes(sep)) {
      throw new Error(`agent id ${JSON.stringify(agentId)} escapes the inbox directory`)
    }
    return dir
  }
  return {
    root,
    registryDb: join(root, "registry.db"),
    inboxRoot,
    pidsDir,
    presetsDir,
    inboxDir,
    tree
  } satisfies BusDirShape
})

/** The checked bus directory. */
export const layer = Layer.effect(BusDir, make)
