#!/usr/bin/env node
/**
 * The entry of the Claude Code and Codex plugins for every hook and for the MCP server: `node plugin/launch.js hook
 * <event>` and `node plugin/launch.js serve`, and for any other command of the bus (`node plugin/launch.js run codex --
 * codex`). Dependency-free, so that it runs in the copy of the repo that Claude Code or Codex installs.
 *
 * When the bus is runnable (bootstrap.js: the plugin root built in place, or the app built into
 * ${CLAUDE_PLUGIN_DATA}), this process becomes bin/helioy-bus.js of that app: same process, same parent, no extra
 * node start per tool call. When it is not (the first session after install or update):
 *   - hook session-start starts the bootstrap in the background, says so on stderr and exits 0 at once;
 *   - hook wait-mail (async: it never blocks a prompt) waits for the bootstrap, then registers the session (the
 *     session-start it could not run) and waits for mail, so the first session joins the bus with nothing typed;
 *   - the other hooks exit 0 silently (no bus yet, no mail);
 *   - serve answers the MCP handshake itself with no tools, and once the bootstrap is done starts the real server
 *     behind it and tells the client its tools changed;
 *   - any other command (a person's) waits for the bootstrap in the foreground, saying so, then runs.
 * The data dir is the runtime's (bootstrap.js, pluginPaths): CLAUDE_PLUGIN_DATA, PLUGIN_DATA (Codex's hooks), or the
 * one of the plugin cache the launcher runs from (Codex's MCP server and the launch wrapper get no variable).
 */
import { Buffer } from "node:buffer"
import { spawn } from "node:child_process"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { lastFailure, pluginPaths, runnableApp, startBootstrap, waitForApp } from "./bootstrap.js"

const [command, event] = process.argv.slice(2)
const paths = pluginPaths()
const app = runnableApp(paths)

/** How long a first session's waiter and server wait for the bootstrap. */
const bootstrapWaitSeconds = 20 * 60

const readStdin = () =>
  new Promise((resolve) => {
    const chunks = []
    process.stdin.on("data", (chunk) => chunks.push(chunk))
    process.stdin.on("end", () => resolve(Buffer.concat(chunks)))
    process.stdin.on("error", () => resolve(Buffer.concat(chunks)))
  })

/** The bus CLI of `dir` as a child, fed `input`, with the hook's runtime process named (it is not the child's parent). */
const runChild = (dir, args, input, stdout) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, "bin", "helioy-bus.js"), ...args], {
      stdio: ["pipe", stdout, "inherit"],
      env: { ...process.env, HELIOY_BUS_CLAUDE_PID: process.env.HELIOY_BUS_CLAUDE_PID || String(process.ppid) }
    })
    child.on("error", () => resolve(1))
    child.on("exit", (code) => resolve(code ?? 1))
    child.stdin.on("error", () => {})
    child.stdin.end(input)
  })

/** Serves MCP on stdio before the bus exists: the handshake, no tools, then the real server behind this one. */
const serveWhileBootstrapping = () => {
  let buffered = ""
  let initialize
  let server
  const reply = (id, body) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, ...body }) + "\n")
  const handle = (line) => {
    if (line.trim() === "") return
    if (server !== undefined) return server.stdin.write(line + "\n")
    let message
    try {
      message = JSON.parse(line)
    } catch {
      return
    }
    if (message.id === undefined) return
    if (message.method === "initialize") {
      initialize = message
      return reply(message.id, {
        result: {
          protocolVersion: message.params?.protocolVersion ?? "2025-06-18",
          capabilities: { tools: { listChanged: true } },
          serverInfo: { name: "helioy-bus", version: "bootstrapping" },
          instructions:
            "helioy-bus is being installed (first session after install or update); its tools appear when it is done."
        }
      })
    }
    if (message.method === "tools/list") return reply(message.id, { result: { tools: [] } })
    if (message.method === "ping") return reply(message.id, { result: {} })
    reply(message.id, { error: { code: -32603, message: `helioy-bus is still being installed; see ${paths.log}` } })
  }
  process.stdin.setEncoding("utf8")
  process.stdin.on("data", (chunk) => {
    buffered += chunk
    let newline
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      handle(line)
    }
  })
  process.stdin.on("end", () => (server === undefined ? process.exit(0) : server.stdin.end()))
  startBootstrap(paths)
  void waitForApp(paths, bootstrapWaitSeconds).then((dir) => {
    if (dir === undefined) {
      process.stderr.write(
        `helioy-bus: the bootstrap did not finish; see ${paths.log}. Start a new session to retry.\n`
      )
      return
    }
    const child = spawn(process.execPath, [join(dir, "bin", "helioy-bus.js"), "serve"], {
      stdio: ["pipe", "pipe", "inherit"]
    })
    child.stdin.on("error", () => {})
    child.on("exit", (code) => process.exit(code ?? 1))
    // The real server is initialized with the client's own request; its answer stays here (the client has one).
    const handshakeId = "helioy-bootstrap-initialize"
    let pending = ""
    let initialized = false
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk) => {
      if (initialized) return process.stdout.write(chunk)
      pending += chunk
      const newline = pending.indexOf("\n")
      if (newline < 0) return
      initialized = true
      const rest = pending.slice(newline + 1)
      child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n")
      server = child
      process.stdout.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }) + "\n")
      if (rest !== "") process.stdout.write(rest)
    })
    const request = initialize ??
      {
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "helioy-bus-launcher", version: "1" }
        }
      }
    child.stdin.write(JSON.stringify({ ...request, jsonrpc: "2.0", id: handshakeId }) + "\n")
  })
}

/** A hook or the server while the bus is not runnable yet. */
const bootstrapping = async () => {
  if (command === "serve") return serveWhileBootstrapping()
  if (command !== "hook") {
    // A command a person runs (`run codex -- codex`, the way a Codex plugin user starts a session): wait for the bus.
    startBootstrap(paths)
    process.stderr.write(
      `helioy-bus: first run of this plugin version: building the bus into ${paths.data} ` +
        `(seconds to minutes: better-sqlite3 is downloaded or compiled; log: ${paths.log})...\n`
    )
    const dir = await waitForApp(paths, bootstrapWaitSeconds)
    if (dir === undefined) {
      process.stderr.write(`helioy-bus: the bootstrap did not finish; see ${paths.log}. Run this again to retry.\n`)
      process.exit(1)
    }
    return runApp(dir)
  }
  if (event === "session-start") {
    const failure = lastFailure(paths)
    startBootstrap(paths)
    process.stderr.write(
      (failure === undefined ? "" : `helioy-bus: the last bootstrap failed (${failure.message}); retrying.\n`) +
        `helioy-bus: first session of this plugin version: building the bus into ${paths.data} in the background ` +
        `(seconds to minutes: better-sqlite3 is downloaded or compiled; log: ${paths.log}). ` +
        "This session joins the bus when it is done; nothing waits for it.\n"
    )
    process.exit(0)
  }
  if (event === "wait-mail") {
    const input = await readStdin()
    const session = process.ppid
    startBootstrap(paths)
    const dir = await waitForApp(paths, bootstrapWaitSeconds)
    // Nothing to join when the bootstrap failed, or when the session ended meanwhile (this process was re-parented).
    if (dir === undefined || process.ppid !== session) process.exit(0)
    let hookEvent
    try {
      hookEvent = JSON.parse(input.toString("utf8")).hook_event_name
    } catch {
      hookEvent = undefined
    }
    // The session-start that found no bus: register now (its context output has nowhere to go from an async hook).
    if (hookEvent === "SessionStart") await runChild(dir, ["hook", "session-start"], input, "ignore")
    process.exit(await runChild(dir, ["hook", "wait-mail"], input, "inherit"))
  }
  process.exit(0)
}

/** Becomes bin/helioy-bus.js of the app in `dir`: its own path in argv[1] (the prune command and the bus command name it). */
const runApp = async (dir) => {
  const bin = join(dir, "bin", "helioy-bus.js")
  process.argv[1] = bin
  await import(pathToFileURL(bin).href)
}

if (app === undefined) await bootstrapping()
else await runApp(app)
