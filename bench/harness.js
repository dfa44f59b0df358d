/**
 * What the bench needs around the figures: the built binary started as `helioy-bus serve` behind an MCP SDK
 * Client over stdio, a private tmux server, temp dirs, percentiles, and one cleanup that undoes all of it.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath, URL } from "node:url"

/** The built executable (`npm run build` must have run). */
export const busBin = fileURLToPath(new URL("../bin/helioy-bus.js", import.meta.url))

/** The built warroom executable. */
export const warroomBin = fileURLToPath(new URL("../bin/helioy-warroom.js", import.meta.url))

const cleanups = []

/** Registers an undo step; `cleanUp` runs them newest first. */
export const onCleanup = (step) => {
  cleanups.push(step)
}

/** Runs every registered undo step once, newest first; never throws. */
export const cleanUp = async () => {
  while (cleanups.length > 0) {
    const step = cleanups.pop()
    try {
      await step()
    } catch (error) {
      progress(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

/** Writes one progress line to stderr (stdout carries only the JSON result). */
export const progress = (line) => {
  process.stderr.write(`[bench] ${line}\n`)
}

/** A fresh temporary directory, removed at cleanup. */
export const makeTempDir = (prefix) => {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix))
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The environment without any pointer to the user's tmux server. */
const withoutUserTmux = (env) => {
  const copy = { ...env }
  delete copy.TMUX
  delete copy.TMUX_PANE
  return copy
}

/**
 * Starts `helioy-bus serve` (or `bin serve`) with HOME, HELIOY_BUS_DIR and `env` (the SDK adds PATH, USER, ...),
 * connects a Client and returns it with `call` (throws on a tool error), `pid` and `close`; closed at cleanup too.
 */
export const startServer = async ({ home, busDir, agentId, env = {}, bin = busBin }) => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "serve"],
    env: {
      HOME: home,
      HELIOY_BUS_DIR: busDir,
      HELIOY_BUS_LOG_LEVEL: "warning",
      ...(agentId === undefined ? {} : { HELIOY_AGENT_ID: agentId }),
      ...env
    },
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000)
  })
  const client = new Client({ name: "helioy-bus-bench", version: "0.0.0" })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await client.close().catch(() => undefined)
  }
  onCleanup(close)
  await client.connect(transport)
  const call = async (name, args = {}) => {
    const result = await client.callTool({ name, arguments: args })
    if (result.isError) {
      const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n")
      throw new Error(`${name} failed: ${text}\nserver stderr: ${stderr}`)
    }
    return result.structuredContent
  }
  return { client, call, pid: transport.pid, close }
}

/**
 * Starts a private tmux server (own TMUX_TMPDIR under `root`, TMUX unset) with one session running `command`;
 * returns its `env` (for servers that must reach it), `run` and the first pane id. Killed at cleanup.
 */
export const startTmux = (root, session, command) => {
  const tmuxTmp = fs.mkdtempSync(join(root, "tmux-"))
  const env = { ...withoutUserTmux(process.env), TMUX_TMPDIR: tmuxTmp }
  const run = (...args) => execFileSync("tmux", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  onCleanup(() => {
    try {
      run("kill-server")
    } catch {
      // the server was not running
    }
    fs.rmSync(tmuxTmp, { recursive: true, force: true })
  })
  const firstPane = run(
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    "200",
    "-y",
    "50",
    "-P",
    "-F",
    "#{pane_id}",
    ...command
  ).trim()
  return { env: { TMUX_TMPDIR: tmuxTmp }, run, firstPane }
}

/** Whether tmux can be run. */
export const hasTmux = () => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/** Milliseconds an async step takes. */
export const timed = async (step) => {
  const start = performance.now()
  const value = await step()
  return { ms: performance.now() - start, value }
}

/** The p-th percentile (nearest rank) of some samples. */
export const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]
}

/** A number rounded to hundredths, for the JSON output. */
export const round = (value) => Math.round(value * 100) / 100

/** The resident set and its peak of a process, in MB, from /proc (null where /proc is missing). */
export const memoryOf = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN)
    return { rssMb: round(kb("VmRSS") / 1024), peakRssMb: round(kb("VmHWM") / 1024) }
  } catch {
    return { rssMb: null, peakRssMb: null }
  }
}
