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
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { homedir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { fileURLToPath, pathToFileURL } from "node:url"

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

const readText = (path) => {
  try {
    return fs.readFileSync(path, "utf8")
  } catch {
    return ""
  }
}

const readJson = (path) => {
  try {
    return JSON.parse(fs.readFileSync(path, "utf8"))
  } catch {
    return undefined
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

const nativeModule = (dir) => join(dir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node")

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

const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`)

const lockedVersion = (root, name) =>
  readJson(join(root, "package-lock.json"))?.packages?.[`node_modules/${name}`]?.version ??
    readJson(join(root, "node_modules", name, "package.json"))?.version

/** Runs a command to its end, its output into the log; fails with its exit code. */
const run = (command, args, options) =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], ...options })
    child.on("error", reject)
    child.on("exit", (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(" ")} exited with ${signal ?? code}`)))
  })

/** npm beside this node (the one that matches its ABI), else on PATH. */
const npmCommand = () => {
  const beside = join(dirname(process.execPath), process.platform === "win32" ? "npm.cmd" : "npm")
  return fs.existsSync(beside) ? beside : "npm"
}

/** Runs npm in `dir` (created, with a private package.json unless one is there). */
const npmIn = async (dir, args, env = {}) => {
  fs.mkdirSync(dir, { recursive: true })
  const manifest = join(dir, "package.json")
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(
      manifest,
      JSON.stringify({ name: "helioy-bus-plugin-data", private: true, allowScripts: { "better-sqlite3": true } }) + "\n"
    )
  }
  await run(npmCommand(), [...args, "--no-audit", "--no-fund"], { cwd: dir, env: { ...process.env, ...env } })
}

/** better-sqlite3 in <data>/node_modules, built for this Node: installed unless it is there and loads. */
const installNativeModule = async (paths) => {
  const version = lockedVersion(paths.root, "better-sqlite3")
  const loads = () =>
    spawnSync(process.execPath, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], {
      cwd: paths.data,
      stdio: "ignore"
    })
      .status === 0
  if (readJson(join(paths.data, "node_modules", "better-sqlite3", "package.json"))?.version === version && loads()) {
    return
  }
  log(
    `installing better-sqlite3@${version} into ${paths.data} (it downloads its prebuilt binary or compiles, which can take minutes)`
  )
  // A user's ignore-scripts or NODE_ENV=production must not skip the build of what is asked for by name.
  await npmIn(paths.data, ["install", "--no-save", "--no-package-lock", `better-sqlite3@${version}`], {
    npm_config_ignore_scripts: "false",
    npm_config_omit: ""
  })
  if (!loads()) {
    throw new Error(`better-sqlite3 was installed into ${paths.data} but does not load in ${process.execPath}`)
  }
}

/** Whether the plugin root has its dependencies installed (Claude Code's plugin cache does; a clone does not). */
const rootHasDependencies = (paths) => fs.existsSync(join(paths.root, "node_modules", "effect", "package.json"))

/**
 * For a plugin root without node_modules: its dependencies without their scripts, exactly as its lockfile has them,
 * into <data>/deps, and its esbuild into <data>/tools. Returns where the modules and esbuild are.
 */
const installDependencies = async (paths) => {
  const deps = join(paths.data, "deps")
  const tools = join(paths.data, "tools")
  const lock = readText(join(paths.root, "package-lock.json"))
  const esbuildVersion = lockedVersion(paths.root, "esbuild")
  const ready = readText(join(deps, "package-lock.json")) === lock &&
    fs.existsSync(join(deps, "node_modules", "effect"))
  await Promise.all([
    ready ? Promise.resolve() : (async () => {
      log(`installing the plugin's dependencies into ${deps} (npm ci, scripts off)`)
      fs.rmSync(deps, { recursive: true, force: true })
      fs.mkdirSync(deps, { recursive: true })
      fs.copyFileSync(join(paths.root, "package.json"), join(deps, "package.json"))
      fs.writeFileSync(join(deps, "package-lock.json"), lock)
      await npmIn(deps, ["ci", "--include=dev", "--ignore-scripts"])
    })(),
    readJson(join(tools, "node_modules", "esbuild", "package.json"))?.version === esbuildVersion
      ? Promise.resolve()
      : npmIn(tools, ["install", "--no-save", "--no-package-lock", `esbuild@${esbuildVersion}`])
  ])
  return { modules: join(deps, "node_modules"), esbuildFrom: tools }
}

/** esbuild from the first of `dirs` that has it. */
const loadEsbuild = async (dirs) => {
  for (const dir of dirs) {
    try {
      const main = createRequire(join(dir, "package.json")).resolve("esbuild")
      return await import(pathToFileURL(main).href)
    } catch {
      // not there
    }
  }
  throw new Error(`esbuild is in none of ${dirs.join(", ")}`)
}

/** Bundles the plugin's src/ into <app>/dist/bin (as scripts/bundle.js does from tsc's output), resolving from `modules`. */
const buildApp = async (paths, esbuild, modules, app) => {
  fs.rmSync(app, { recursive: true, force: true })
  fs.mkdirSync(join(app, "dist"), { recursive: true })
  fs.cpSync(join(paths.root, "bin"), join(app, "bin"), { recursive: true })
  fs.copyFileSync(join(paths.root, "package.json"), join(app, "package.json"))
  const { bundleOptions } = await import(pathToFileURL(join(paths.root, "scripts", "bundleOptions.js")).href)
  await esbuild.build({
    ...bundleOptions("src", ".ts", join(app, "dist", "bin")),
    absWorkingDir: paths.root,
    nodePaths: [modules]
  })
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
