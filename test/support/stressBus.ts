/**
 * What the stress and fault suites share: sizes scaled by SOAK, servers with their pid (to kill -9), an audit of an
 * inbox on disk, a drain, and a figures line per test.
 */
import type { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { type ChildProcess, execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { type BusServer, type BusServerOptions, startBusServer } from "./mcpClient.js"

/** Whether this is a soak run (`npm run soak`): larger sizes, same assertions. */
export const soak = process.env.SOAK === "1"

/** A size: `ci` in `npm test`, `soakSize` (times SOAK_SCALE when set) in `npm run soak`. */
export const scaled = (ci: number, soakSize: number) =>
  soak ? Math.round(soakSize * Number(process.env.SOAK_SCALE ?? "1")) : ci

/** The vitest timeout of a long test: a safety net against a hang, not a speed assertion (soak runs get an hour). */
export const longTest = soak ? 3_600_000 : 300_000

/** A seeded pseudo-random generator (mulberry32), so a failing run can be replayed with STRESS_SEED. */
export const seededRandom = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The seed of this run (STRESS_SEED, else random), printed with the figures. */
export const runSeed = Number(process.env.STRESS_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** Prints one line of figures for the report (vitest shows a test's stdout). */
export const reportFigures = (name: string, figures: Record<string, unknown>) => {
  process.stdout.write(`[figures] ${name} ${JSON.stringify({ ...figures, seed: runSeed, soak })}\n`)
}

/** A server whose process can be killed. */
export interface KillableServer extends BusServer {
  readonly pid: number
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>
  /** Sends SIGKILL and waits for the exit. */
  readonly kill: () => Promise<void>
}

/** Starts `helioy-bus serve` and exposes its pid. */
export const startKillable = async (options: BusServerOptions): Promise<KillableServer> => {
  const server = await startBusServer(options)
  const transport = server.client.transport as StdioClientTransport
  const pid = transport.pid!
  // The SDK keeps the child process private; its exit event is what a kill waits for.
  const child = (transport as unknown as { readonly _process: ChildProcess })._process
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })
  return {
    ...server,
    pid,
    exited,
    kill: async () => {
      try {
        process.kill(pid, "SIGKILL")
      } catch {
        // already gone
      }
      await exited
    }
  }
}

/** A message as returned by get_messages. */
export interface WireMessage {
  readonly id: string
  readonly from: string
  readonly to: string
  readonly content: string
  readonly sent_at: string
  readonly topic: string | null
}

/** The messages of a get_messages result. */
export const messagesOf = (structured: Record<string, unknown>) => structured.result as Array<WireMessage>

/** Reads an inbox with `reader` until a read comes back empty; returns everything read. */
export const drain = async (reader: BusServer, agentId: string) => {
  const all: Array<WireMessage> = []
  for (;;) {
    const batch = messagesOf(await reader.ok("get_messages", { agent_id: agentId }))
    if (batch.length === 0) return all
    all.push(...batch)
  }
}

/** What is on disk in one inbox, and whatever breaks the on-disk contract. */
export interface InboxAudit {
  /** Ids of the unread message files at the top level. */
  readonly unread: ReadonlyArray<string>
  /** Ids held in `claimed/` by a claimer. */
  readonly held: ReadonlyArray<string>
  /** Ids in `archive/`. */
  readonly archived: ReadonlyArray<string>
  /** Contract breaches: a partial or invalid *.json at the top level, a temp file ending in .json. */
  readonly problems: ReadonlyArray<string>
}

const messageKeys = ["id", "from", "to", "reply_to", "topic", "content", "sent_at"]

const idsIn = (dir: string, problems: Array<string>, where: string) => {
  let names: Array<string>
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  const ids: Array<string> = []
  for (const name of names.filter((entry) => entry.endsWith(".json"))) {
    try {
      const parsed = JSON.parse(fs.readFileSync(join(dir, name), "utf8")) as Record<string, unknown>
      const missing = messageKeys.filter((key) => !(key in parsed))
      if (missing.length > 0) problems.push(`${where}/${name} misses ${missing.join(", ")}`)
      else ids.push(String(parsed.id))
    } catch (error) {
      problems.push(`${where}/${name} is not a complete message: ${(error as Error).message}`)
    }
  }
  return ids
}

/** Reads every file of an inbox: unread, held and archived ids, and any partial or misnamed file. */
export const auditInbox = (inbox: string): InboxAudit => {
  const problems: Array<string> = []
  const top = fs.existsSync(inbox) ? fs.readdirSync(inbox) : []
  for (const name of top) {
    if (name.startsWith(".") && name.endsWith(".json")) problems.push(`temp file ${name} ends in .json`)
    if (name.endsWith(".tmp") || name.includes(".tmp.")) {
      // A temp file of a killed sender may stay behind; it must never look like a message.
      if (name.endsWith(".json")) problems.push(`temp file ${name} ends in .json`)
    }
  }
  return {
    unread: idsIn(inbox, problems, "inbox"),
    held: idsIn(join(inbox, "claimed"), problems, "claimed"),
    archived: idsIn(join(inbox, "archive"), problems, "archive"),
    problems
  }
}

/** Opens registry.db in a separate process (sqlite3 through better-sqlite3) and returns its integrity check. */
export const registryIntegrity = (registryDb: string): string =>
  execFileSync(process.execPath, [
    "-e",
    `const Database = require("better-sqlite3");
     const db = new Database(process.argv[1], { fileMustExist: true });
     db.pragma("busy_timeout = 5000");
     const ok = db.pragma("integrity_check", { simple: true });
     const agents = db.prepare("SELECT count(*) AS n FROM agents").get().n;
     db.close();
     process.stdout.write(ok + " " + agents);`,
    registryDb
  ], { encoding: "utf8", cwd: process.cwd() }).trim()

/** Every path under `dir` (files with their size and mode, symlinks with their target), skipping `except`. */
export const snapshotTree = (dir: string, except: ReadonlyArray<string> = []): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (path: string) => {
    if (except.includes(path)) return
    const stat = fs.lstatSync(path)
    if (stat.isSymbolicLink()) out[path] = `link ${fs.readlinkSync(path)}`
    else if (stat.isDirectory()) {
      out[path] = `dir ${(stat.mode & 0o7777).toString(8)}`
      for (const name of fs.readdirSync(path)) walk(join(path, name))
    } else out[path] = `file ${stat.size} ${(stat.mode & 0o7777).toString(8)} ${stat.mtimeMs}`
  }
  walk(dir)
  return out
}

/** Yields to the event loop `turns` times: a kill lands at a varied point of an in-flight call without a timer. */
export const turns = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve))
}
