/**
 * The first-run bootstrap of the Claude Code and Codex plugins. Claude Code installs a plugin from git as a copy of the
 * repo with its node_modules installed with scripts off, or (a marketplace that is a local directory) runs the plugin
 * from that directory, a clone with no node_modules at all; Codex copies the repo into its plugin cache as it is, with
 * no node_modules. Either way there is no dist/ (it is not committed) and no better-sqlite3 binary. This module builds
 * what is missing into the plugin's data dir, the directory the runtime keeps for a plugin across sessions and updates
 * (${CLAUDE_PLUGIN_DATA}; Codex: $CODEX_HOME/plugins/data/<plugin>-<marketplace>, see pluginPaths):
 *
 *   <data>/app-<fingerprint>/   package.json, bin/ and dist/bin/ (bundled by esbuild from the plugin's own src/)
 *   <data>/node_modules/        better-sqlite3, the version the plugin's lockfile names, installed with its build
 *   <data>/deps/, <data>/tools/ only when the plugin has no node_modules: its dependencies (`npm ci` from its
 *                               lockfile, devDependencies included: the bundled code is listed there; scripts off)
 *                               and its esbuild, to bundle with
 *   <data>/ready.json           written last: which app dir is complete, for which source and which Node ABI
 *   <data>/bootstrap.log        what the last bootstrap did, with its timings
 *
 * Dependency-free on purpose (node: modules only): it runs before anything else of the plugin can. Run as a script, it
 * bootstraps once under a lock; imported, it answers whether the data dir is ready and starts the script detached.
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { homedir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { fileURLToPath } from "node:url"
import {
  buildApp,
  installDependencies,
  installNativeModule,
  loadEsbuild,
  log,
  rootHasDependencies
} from "./bootstrapSteps.js"
import { nativeModule, readJson, readText } from "./readFiles.js"

/**
 * The data dir of a plugin installed at `root` in a plugin cache laid out as Claude Code's and Codex's are,
 * `<home>/plugins/cache/<marketplace>/<plugin>/<version>`: `<home>/plugins/data/<plugin>-<marketplace>`, the dir the
 * runtime gives the plugin's hooks as CLAUDE_PLUGIN_DATA (Codex also as PLUGIN_DATA). Codex gives its MCP servers
 * neither variable, so the server finds the same dir from where it runs. Undefined for a root laid out otherwise.
 */
export const cachedPluginData = (root) => {
  const plugin = dirname(root)
  const marketplace = dirname(plugin)
  const cache = dirname(marketplace)
  if (basename(cache) !== "cache" || basename(dirname(cache)) !== "plugins") return undefined
  return join(dirname(cache), "data", `${basename(plugin)}-${basename(marketplace)}`)
}

/**
 * The plugin's root (CLAUDE_PLUGIN_ROOT, else PLUGIN_ROOT as Codex names it, else this file's parent's parent) and its
 * data dir (CLAUDE_PLUGIN_DATA, else PLUGIN_DATA, else the one of the plugin cache the root is in, else
 * ~/.helioy/plugin-data).
 */
export const pluginPaths = (env = process.env) => {
  const root = resolve(env.CLAUDE_PLUGIN_ROOT || env.PLUGIN_ROOT || join(dirname(fileURLToPath(import.meta.url)), ".."))
  const data = resolve(
    env.CLAUDE_PLUGIN_DATA || env.PLUGIN_DATA || cachedPluginData(root) || join(homedir(), ".helioy", "plugin-data")
  )
  return {
    root,
    data,
    ready: join(data, "ready.json"),
    lock: join(data, "bootstrap.lock"),
    log: join(data, "bootstrap.log")
  }
}

/** The commit a git checkout is at ("" for none): a `git pull` in a clone that is the marketplace rebuilds the app. */
const gitHead = (root) => {
  const head = readText(join(root, ".git", "HEAD")).trim()
  if (!head.startsWith("ref: ")) return head
  const ref = head.slice(5)
  return readText(join(root, ".git", ref)).trim() ||
    (readText(join(root, ".git", "packed-refs")).split("\n").find((line) => line.endsWith(` ${ref}`)) ?? ref)
}

/**
 * What the built app depends on: the plugin root, its commit when it is a git checkout, its manifests and lockfile (a
 * new version changes them), and the Node ABI the native module is built for.
 */
export const fingerprint = (paths) =>
  createHash("sha256")
    .update([paths.root, gitHead(paths.root), process.versions.modules, process.platform, process.arch].join("\0"))
    .update(readText(join(paths.root, "package.json")))
    .update(readText(join(paths.root, "package-lock.json")))
    .update(readText(join(paths.root, ".claude-plugin", "marketplace.json")))
    .digest("hex")
    .slice(0, 16)

/**
 * The directory holding a runnable helioy-bus (bin/helioy-bus.js with dist/ and better-sqlite3 beside it): the
 * plugin root itself when it was built in place (a developer's checkout), else the data dir's app when ready.json
 * says it was built for this source and this Node. Undefined when a bootstrap is needed.
 */
export const runnableApp = (paths) => {
  if (fs.existsSync(join(paths.root, "dist", "bin", "helioy-bus.mjs")) && fs.existsSync(nativeModule(paths.root))) {
    return paths.root
  }
  const ready = readJson(paths.ready)
  if (ready === undefined || ready.fingerprint !== fingerprint(paths)) return undefined
  const app = join(paths.data, ready.app)
  return fs.existsSync(join(app, "bin", "helioy-bus.js")) ? app : undefined
}

/** The last bootstrap's failure, when the last one failed for this source ({ message, log }), else undefined. */
export const lastFailure = (paths) => {
  const failed = readJson(join(paths.data, "failed.json"))
  return failed !== undefined && failed.fingerprint === fingerprint(paths) ? failed : undefined
}

const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === "EPERM"
  }
}

/** Whether a bootstrap holds the lock (a lock whose process is gone is stale). */
export const bootstrapRunning = (paths) => {
  const pid = Number(readText(paths.lock).trim())
  return Number.isInteger(pid) && pid > 0 && alive(pid)
}

/**
 * Starts the bootstrap detached (its output goes to bootstrap.log), unless one is running; returns at once. Safe to
 * call from concurrent hooks: the bootstrap itself takes the lock, and a second one exits when it cannot.
 */
export const startBootstrap = (paths, env = process.env) => {
  if (bootstrapRunning(paths)) return
  fs.mkdirSync(paths.data, { recursive: true })
  const out = fs.openSync(paths.log, "a")
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...env, CLAUDE_PLUGIN_ROOT: paths.root, CLAUDE_PLUGIN_DATA: paths.data }
  })
  child.unref()
  fs.closeSync(out)
}

/** Waits until the app is runnable (or the bootstrap ended without it, or `seconds` passed); returns the app dir. */
export const waitForApp = async (paths, seconds) => {
  const deadline = Date.now() + seconds * 1000
  // A bootstrap just started may not hold its lock yet: give it a moment before reading "not running" as "ended".
  const grace = Date.now() + 5000
  for (;;) {
    const app = runnableApp(paths)
    if (app !== undefined) return app
    if (Date.now() > deadline || (Date.now() > grace && !bootstrapRunning(paths))) return undefined
    await sleep(250)
  }
}

/** The lock, taken atomically: false when another live bootstrap holds it. A stale lock is removed once. */
const takeLock = (paths) => {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(paths.lock, String(process.pid), { flag: "wx" })
      return true
    } catch (error) {
      if (error.code !== "EEXIST" || bootstrapRunning(paths)) return false
      fs.rmSync(paths.lock, { force: true })
    }
  }
  return false
}

/** The whole bootstrap, under the lock; writes ready.json last, or failed.json. */
const bootstrap = async () => {
  const paths = pluginPaths()
  fs.mkdirSync(paths.data, { recursive: true })
  if (!takeLock(paths)) return
  const started = Date.now()
  const id = fingerprint(paths)
  try {
    if (runnableApp(paths) !== undefined) return
    log(`bootstrapping helioy-bus from ${paths.root} into ${paths.data} (node ${process.version})`)
    fs.rmSync(join(paths.data, "failed.json"), { force: true })
    const app = `app-${id}`
    // The native module compiles while the bundle builds (and, for a bare clone, the dependencies install).
    const native = installNativeModule(paths)
    const built = (async () => {
      const { modules, esbuildFrom } = rootHasDependencies(paths)
        ? { modules: join(paths.root, "node_modules"), esbuildFrom: paths.root }
        : await installDependencies(paths)
      await buildApp(paths, await loadEsbuild([esbuildFrom]), modules, join(paths.data, app))
    })()
    await Promise.all([native, built])
    const seconds = (Date.now() - started) / 1000
    fs.writeFileSync(
      `${paths.ready}.tmp`,
      JSON.stringify({ fingerprint: id, app, node: process.version, seconds }) + "\n"
    )
    fs.renameSync(`${paths.ready}.tmp`, paths.ready)
    // An earlier version's app may still serve a running session (its chunks load lazily): it goes after a day.
    for (const entry of fs.readdirSync(paths.data)) {
      const dir = join(paths.data, entry)
      if (entry.startsWith("app-") && entry !== app && Date.now() - fs.statSync(dir).mtimeMs > 86_400_000) {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    log(`ready in ${seconds.toFixed(1)} s: ${join(paths.data, app)}`)
  } catch (error) {
    log(`bootstrap failed: ${error instanceof Error ? error.stack : String(error)}`)
    fs.writeFileSync(
      join(paths.data, "failed.json"),
      JSON.stringify({ fingerprint: id, message: String(error?.message ?? error), log: paths.log }) + "\n"
    )
    process.exitCode = 1
  } finally {
    fs.rmSync(paths.lock, { force: true })
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bootstrap()
