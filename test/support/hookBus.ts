/**
 * A fresh bus for hook tests: a temp root holding HOME, the bus dir and a project directory, with shortcuts to run
 * hooks against it and to read what they left in registry.db and pids/.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { openDatabase } from "../integration/referenceDb.js"
import type { EventSession } from "./hookEvents.js"
import { type HookEnvironment, type HookResult, runHook, type RunningHook, startHook } from "./hookProcess.js"
import { makeTempDir } from "./mcpClient.js"

/** One row of the agents table, as the hooks leave it. */
export interface AgentRowOnDisk {
  readonly agent_id: string
  readonly cwd: string
  readonly tmux_target: string
  readonly pane_id: string
  readonly pid: number | null
  readonly session_id: string
  readonly agent_type: string
  readonly runtime: string
}

/** A bus for one test. */
export interface HookBus {
  readonly root: string
  readonly home: string
  readonly busDir: string
  /** The project the sessions run in (basename `proj`). */
  readonly project: string
  /** An event session in the project. */
  readonly session: (sessionId: string) => EventSession
  /** Runs a hook with PATH, HOME, HELIOY_BUS_DIR and `env`. */
  readonly run: (event: string, input: string | object, env?: Record<string, string>) => Promise<HookResult>
  /** Starts a hook without waiting for it. */
  readonly start: (event: string, input: string | object, env?: Record<string, string>) => RunningHook
  /** The agents table, by agent id (empty when registry.db does not exist yet). */
  readonly agents: () => ReadonlyArray<AgentRowOnDisk>
  /** The content of pids/<pid>, if the file exists. */
  readonly pidFile: (pid: number) => string | undefined
  /** The names in pids/. */
  readonly pidFiles: () => ReadonlyArray<string>
  /** The `.waiter` lock file of an agent's inbox. */
  readonly waiterFile: (agentId: string) => string
}

/** A fresh bus under a new temp dir (removed by `removeTempDirs`). */
export const freshHookBus = (prefix = "helioy-hook-"): HookBus => {
  const root = makeTempDir(prefix)
  const home = join(root, "home")
  const project = join(root, "proj")
  fs.mkdirSync(home)
  fs.mkdirSync(project)
  const busDir = join(root, "bus")
  const where = (env: Record<string, string>): HookEnvironment => ({ home, busDir, env })
  return {
    root,
    home,
    busDir,
    project,
    session: (sessionId) => ({ sessionId, cwd: project, home }),
    run: (event, input, env = {}) => runHook(event, input, where(env)),
    start: (event, input, env = {}) => startHook(event, input, where(env)),
    agents: () => {
      const path = join(busDir, "registry.db")
      if (!fs.existsSync(path)) return []
      const db = openDatabase(path, { readonly: true })
      try {
        return db.prepare(
          "SELECT agent_id, cwd, tmux_target, pane_id, pid, session_id, agent_type, runtime FROM agents ORDER BY agent_id"
        ).all() as unknown as ReadonlyArray<AgentRowOnDisk>
      } finally {
        db.close()
      }
    },
    pidFile: (pid) => {
      try {
        return fs.readFileSync(join(busDir, "pids", String(pid)), "utf8")
      } catch {
        return undefined
      }
    },
    pidFiles: () => {
      try {
        return fs.readdirSync(join(busDir, "pids")).sort()
      } catch {
        return []
      }
    },
    waiterFile: (agentId) => join(busDir, "inbox", agentId, ".waiter")
  }
}

/** The additionalContext a hook gives, as the exact line it prints. */
export const contextLine = (hookEventName: string, additionalContext: string) =>
  JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext } }) + "\n"

/** The text naming unread mail (`N unread message(s) for 'id' from A, B — call get_messages ...`). */
export const unreadText = (count: number, agentId: string, senders: ReadonlyArray<string>) =>
  `helioy-bus: ${count} unread message(s) for '${agentId}' from ${senders.join(", ")} — call get_messages to read them.`

/** The introduction session-start gives an agent. */
export const introText = (agentId: string) =>
  `helioy-bus: you are '${agentId}' on the agent bus (tools whoami, list_agents, send_message, get_messages).`
