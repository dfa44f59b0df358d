/**
 * The steps of the plugin's bootstrap (bootstrap.js runs them under its lock): better-sqlite3 built for this Node, the
 * plugin's dependencies when it has none, and the bundle of its src/ into the data dir. Dependency-free.
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import { readJson, readText } from "./readFiles.js"

/** One timestamped line of the bootstrap log (its stdout). */
export const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`)

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
export const installNativeModule = async (paths) => {
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
export const rootHasDependencies = (paths) => fs.existsSync(join(paths.root, "node_modules", "effect", "package.json"))

/**
 * For a plugin root without node_modules: its dependencies without their scripts, exactly as its lockfile has them,
 * into <data>/deps, and its esbuild into <data>/tools. Returns where the modules and esbuild are.
 */
export const installDependencies = async (paths) => {
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
export const loadEsbuild = async (dirs) => {
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
export const buildApp = async (paths, esbuild, modules, app) => {
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
