/**
 * Starts the built `helioy-bus serve` as a child process and talks to it with the MCP SDK's Client over stdio,
 * the way a coding-agent runtime does.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The built executable (`npm run build` must have run). */
export const busBin = fileURLToPath(new URL("../../bin/helioy-bus.js", import.meta.url))

/** A fresh temporary directory (removed by `removeTempDirs`). */
export const makeTempDir = (prefix = "helioy-e2e-"): string => {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

const tempDirs: Array<string> = []

/** Removes every directory made by `makeTempDir`. */
export const removeTempDirs = () => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** How to start one server. */
export interface BusServerOptions {
  /** HOME of the child (a temp dir). */
  readonly home: string
  /** HELIOY_BUS_DIR. */
  readonly busDir: string
  /** HELIOY_AGENT_ID, the caller's identity, when given. */
  readonly agentId?: string
  /** Any further environment (HELIOY_BUS_MAX_UNREAD, TMUX_TMPDIR, ...). */
  readonly env?: Record<string, string>
}

/** A running server with a connected client. */
export interface BusServer {
  readonly client: Client
  /** Everything the server wrote to stderr so far. */
  readonly stderr: () => string
  /** Calls a tool; never throws for a tool error (it is a result with isError). */
  readonly call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>
  /** Calls a tool and returns its structuredContent; throws with the message when the tool failed. */
  readonly ok: (name: string, args?: Record<string, unknown>) => Promise<Record<string, unknown>>
  /** Calls a tool that must fail; returns its message and structuredContent; throws when it succeeded. */
  readonly fails: (
    name: string,
    args?: Record<string, unknown>
  ) => Promise<{ readonly message: string; readonly structured: Record<string, unknown> }>
  readonly close: () => Promise<void>
}

const textOf = (result: CallToolResult): string =>
  result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n")

/** Starts `helioy-bus serve` with only the given environment (plus the SDK's PATH, USER, ...) and connects. */
export const startBusServer = async (options: BusServerOptions): Promise<BusServer> => {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: options.home,
    HELIOY_BUS_DIR: options.busDir,
    ...(options.agentId === undefined ? {} : { HELIOY_AGENT_ID: options.agentId }),
    ...options.env
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [busBin, "serve"],
    env,
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const client = new Client({ name: "helioy-bus-e2e", version: "0.0.0" })
  await client.connect(transport)
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult
  return {
    client,
    stderr: () => stderr,
    call,
    ok: async (name, args) => {
      const result = await call(name, args)
      if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`)
      return result.structuredContent as Record<string, unknown>
    },
    fails: async (name, args) => {
      const result = await call(name, args)
      if (!result.isError) throw new Error(`${name} unexpectedly succeeded: ${textOf(result)}`)
      return { message: textOf(result), structured: (result.structuredContent ?? {}) as Record<string, unknown> }
    },
    close: () => client.close()
  }
}

/** Starts servers and closes them all at once (call `closeAll` in afterEach). */
export const serverPool = () => {
  const running: Array<BusServer> = []
  return {
    start: async (options: BusServerOptions) => {
      const server = await startBusServer(options)
      running.push(server)
      return server
    },
    closeAll: async () => {
      await Promise.all(running.splice(0).map((server) => server.close().catch(() => undefined)))
    }
  }
}

/**
 * The server over raw stdin/stdout lines, for what the SDK client cannot send (malformed JSON-RPC). Responses are
 * collected by id.
 */
export interface RawBusServer {
  readonly child: ChildProcessWithoutNullStreams
  /** Writes one raw line (a newline is added). */
  readonly writeLine: (line: string) => void
  /** Sends a JSON-RPC request and resolves with the response carrying its id. */
  readonly request: (id: number, method: string, params?: unknown) => Promise<Record<string, unknown>>
  /** Every line the server wrote to stdout so far. */
  readonly lines: () => ReadonlyArray<string>
  /** Everything the server wrote to stderr so far. */
  readonly stderr: () => string
  /** Resolves with the exit code (null when killed by a signal) once the server has exited. */
  readonly exited: Promise<number | null>
  readonly stop: () => Promise<void>
}

/** Starts `helioy-bus serve` with raw pipes. */
export const startRawBusServer = (options: BusServerOptions): RawBusServer => {
  const child = spawn(process.execPath, [busBin, "serve"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: options.home,
      HELIOY_BUS_DIR: options.busDir,
      ...(options.agentId === undefined ? {} : { HELIOY_AGENT_ID: options.agentId }),
      ...options.env
    },
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const waiting = new Map<number, (response: Record<string, unknown>) => void>()
  let buffered = ""
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8")
    let newline = buffered.indexOf("\n")
    while (newline >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      lines.push(line)
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>
        if (typeof parsed.id === "number") waiting.get(parsed.id)?.(parsed)
      } catch {
        // not JSON: kept in lines for the test to see
      }
      newline = buffered.indexOf("\n")
    }
  })
  // A server that stops reading (it exited) makes a pending write fail: that is the test's to observe, not a crash.
  child.stdin.on("error", () => undefined)
  let stderr = ""
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const writeLine = (line: string) => {
    child.stdin.write(line + "\n")
  }
  return {
    child,
    writeLine,
    request: (id, method, params) =>
      new Promise((resolve, reject) => {
        waiting.set(id, resolve)
        child.once("exit", (code) => reject(new Error(`server exited (${code}) before answering request ${id}`)))
        writeLine(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }))
      }),
    lines: () => lines,
    stderr: () => stderr,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end()
        child.kill("SIGTERM")
        await exited
      }
    }
  }
}
