/**
 * Real Codex sessions in the rig, each started through the launch wrapper (`helioy-bus run codex -- codex`), and a
 * client of Codex's own daemon that sees what the sessions' threads do.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import WebSocket from "ws"
import { busBin } from "../../support/mcpClient.js"
import { clientsBin } from "./clients.js"
import { dummyKeys, type RealRig, waitFor } from "./realRig.js"

/** A wrapped Codex session that joined the bus. */
export interface CodexSession {
  readonly paneId: string
  readonly agentId: string
  readonly cwd: string
  /** The thread of the TUI, as the wrapper bound it ("" when the wrapper runs no relay). */
  readonly threadId: string
}

/** Logs in with the dummy key and trusts `projects` (a fresh config.toml), as a user does. */
export const seedCodexAccount = (rig: RealRig, projects: ReadonlyArray<string>) => {
  fs.mkdirSync(rig.codexHome, { recursive: true })
  execFileSync(join(clientsBin(), "codex"), ["login", "--with-api-key"], {
    env: rig.env,
    input: dummyKeys.openai,
    stdio: ["pipe", "ignore", "ignore"]
  })
  fs.writeFileSync(
    join(rig.codexHome, "config.toml"),
    projects.map((dir) => `[projects.${JSON.stringify(dir)}]\ntrust_level = "trusted"\n`).join("\n")
  )
}

/** Logs in with the dummy key, trusts `projects`, and runs `helioy-bus install codex`, as a user does. */
export const seedCodex = (rig: RealRig, projects: ReadonlyArray<string>) => {
  seedCodexAccount(rig, projects)
  rig.cli(["install", "codex"])
}

/** The command that runs the built `helioy-bus`. */
const builtBus: ReadonlyArray<string> = [process.execPath, busBin]

/** The argv that runs a Codex TUI through the launch wrapper (`bus`: the command that runs `helioy-bus`). */
export const wrappedCodex = (args: ReadonlyArray<string> = [], bus: ReadonlyArray<string> = builtBus) => [
  ...bus,
  "run",
  "codex",
  "--",
  join(clientsBin(), "codex"),
  ...args
]

/**
 * Starts a wrapped Codex in a new pane in `cwd`, answering its first-run questions as a user does (trusts the bus's
 * hooks at "Hooks need review"; runs without the daemon this time when started with it turned off while one runs), and
 * waits until the session is registered under that pane, its
 * thread bound (unless `relay` is false) and its TUI idle.
 */
export const startCodex = async (
  rig: RealRig,
  cwd: string,
  options: {
    readonly args?: ReadonlyArray<string>
    readonly relay?: boolean
    readonly env?: Record<string, string>
    /** The command that runs `helioy-bus` (the built one by default). */
    readonly bus?: ReadonlyArray<string>
    /** How long the session may take to register (a first run of a plugin bootstraps the bus first). */
    readonly seconds?: number
  } = {}
): Promise<CodexSession> => {
  const paneId = rig.openPane(cwd, wrappedCodex(options.args, options.bus), options.env)
  const screen = () => rig.tmux.capture(paneId)
  // The first-run questions can come up after the prompt first shows: answer them whenever they are on screen, and
  // count the TUI as started once its prompt has shown with no question for 2 s.
  let idleSince: number | undefined
  const row = await waitFor("the Codex session to start, register and bind its thread", options.seconds ?? 120, () => {
    const text = screen()
    if (text.includes("Hooks need review")) {
      rig.tmux.run("send-keys", "-t", paneId, "Down")
      rig.tmux.run("send-keys", "-t", paneId, "Enter")
      return undefined
    }
    if (text.includes("Run without daemon this time")) {
      // Started with the daemon turned off while one runs: the user runs this one without it.
      rig.tmux.run("send-keys", "-t", paneId, "1")
      return undefined
    }
    if (!text.includes("? for shortcuts") || text.includes("Waiting for startup")) {
      idleSince = undefined
      return undefined
    }
    idleSince ??= Date.now()
    const found = rig.agents().find((agent) => agent.pane_id === paneId)
    const ready = found !== undefined && (options.relay === false || found.session_id !== "") &&
      Date.now() - idleSince >= 2000
    return ready ? found : undefined
  }, screen)
  if (options.relay !== false) {
    await waitFor(`the wrapper's waiter of ${row.agent_id}`, 30, () => rig.hasWaiter(row.agent_id) ? true : undefined)
  }
  return { paneId, agentId: row.agent_id, cwd, threadId: row.session_id }
}

/** Types `/quit` and Enter as the user would, and waits for the pane to close. */
export const quitCodex = async (rig: RealRig, session: CodexSession) => {
  rig.tmux.run("send-keys", "-t", session.paneId, "-l", "/quit")
  await new Promise((resolve) => setTimeout(resolve, 300))
  rig.tmux.run("send-keys", "-t", session.paneId, "Enter")
  await waitFor(
    "the Codex pane to close",
    30,
    () => rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").split("\n").includes(session.paneId) ? undefined : true
  )
}

/** One status change of a thread, as the daemon announced it. */
export interface ThreadEvent {
  readonly at: number
  readonly threadId: string
  readonly status: string
}

/** A client of the daemon of the rig's CODEX_HOME: calls its methods and records every thread status change. */
export interface DaemonWatch {
  readonly events: ReadonlyArray<ThreadEvent>
  readonly call: (method: string, params: unknown) => Promise<Record<string, unknown>>
  readonly close: () => void
}

/** Connects to the daemon of the rig's CODEX_HOME (it must run: a wrapped Codex started it). */
export const watchDaemon = async (rig: RealRig): Promise<DaemonWatch> => {
  const socket = fs.realpathSync(join(rig.codexHome, "app-server-control", "app-server-control.sock"))
  const ws = new WebSocket(`ws+unix://${socket}:/rpc`)
  const events: Array<ThreadEvent> = []
  const pending = new Map<number, (frame: Record<string, unknown>) => void>()
  let nextId = 1
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown> & {
      id?: number
      method?: string
      params?: { threadId?: string; status?: { type?: string } }
    }
    if (frame.method === "thread/status/changed") {
      events.push({ at: Date.now(), threadId: frame.params?.threadId ?? "", status: frame.params?.status?.type ?? "" })
    } else if (typeof frame.id === "number") pending.get(frame.id)?.(frame)
  })
  await new Promise((resolve, reject) => {
    ws.once("open", resolve)
    ws.once("error", reject)
  })
  const call = (method: string, params: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ id, method, params }))
    })
  await call("initialize", {
    clientInfo: { name: "helioy-real-suite", version: "1" },
    capabilities: { experimentalApi: true }
  })
  ws.send(JSON.stringify({ method: "initialized" }))
  return { events, call, close: () => ws.close() }
}

/** Stops every Codex process that runs from the rig's CODEX_HOME (its daemon outlives the TUIs). */
export const stopCodexDaemon = (rig: RealRig) => {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (fs.readlinkSync(`/proc/${entry}/exe`).startsWith(rig.codexHome)) process.kill(Number(entry), "SIGKILL")
    } catch {
      // gone, or not ours
    }
  }
}
