/**
 * The rig of the real-client suite: a fake HOME with a bus dir, a private tmux server whose panes get that HOME, the
 * pinned clients on PATH and dummy API keys (the models are local stand-ins: see fakeAnthropic.ts, fakeGemini.ts), and a sender on
 * the bus that talks to the built server through the MCP SDK's client.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { openDatabase } from "../../integration/referenceDb.js"
import { busBin, type BusServer, makeTempDir, startBusServer } from "../../support/mcpClient.js"
import { startTmuxServer, type TmuxServer } from "../../support/tmuxServer.js"
import { clientsBin } from "./clients.js"
import { type FakeAnthropic, startFakeAnthropic } from "./fakeAnthropic.js"
import { type FakeGemini, startFakeGemini } from "./fakeGemini.js"

/** The dummy keys the clients are given (no request ever leaves the machine). */
export const dummyKeys = {
  anthropic: "sk-ant-helioy-test-0123456789abcdefghijklmnop",
  openai: "sk-helioy-test-0123456789abcdefghijklmnop",
  gemini: "AIza-helioy-test-0123456789abcdefghijklmnop"
} as const

/** One row of the registry, as the suite reads it. */
export interface AgentRow {
  readonly agent_id: string
  readonly pane_id: string
  readonly session_id: string
  readonly runtime: string
  readonly cwd: string
  readonly pid: number | null
}

/** One recorded wake. */
export interface WakeRow {
  readonly agent_id: string
  readonly message_id: string
  readonly method: string
  readonly at: string
  readonly confirmed: number
  readonly reason: string
}

/** A running rig. */
export interface RealRig {
  readonly root: string
  readonly home: string
  readonly busDir: string
  readonly codexHome: string
  readonly tmux: TmuxServer
  readonly model: FakeAnthropic
  /** The stand-in Gemini API (GOOGLE_GEMINI_BASE_URL). */
  readonly gemini: FakeGemini
  /** Everything a pane's program gets in its environment (and the CLI calls of the test). */
  readonly env: Record<string, string>
  /** A project directory `<root>/<name>`, created. */
  readonly repo: (name: string) => string
  /** Opens a detached window in `cwd` running `argv` (no shell), with `env` on top; succeeds with its pane id. */
  readonly openPane: (cwd: string, argv: ReadonlyArray<string>, env?: Record<string, string>) => string
  /** Runs the built `helioy-bus` with the rig's environment; returns its stdout. */
  readonly cli: (args: ReadonlyArray<string>) => string
  readonly agents: () => ReadonlyArray<AgentRow>
  readonly wakesOf: (agentId: string) => ReadonlyArray<WakeRow>
  /** Whether a live waiter holds an agent's inbox. */
  readonly hasWaiter: (agentId: string) => boolean
  /** The sender `tester` on the bus (registered), through the built server. */
  readonly sender: () => Promise<BusServer>
  readonly close: () => Promise<void>
}

/** Polls `probe` every 100 ms until it returns a value, up to `seconds`; throws `what` with the last observation. */
export const waitFor = async <A>(
  what: string,
  seconds: number,
  probe: () => A | undefined,
  last: () => string = () => ""
): Promise<A> => {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}\n${last()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const processExists = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The processes whose working directory is under `root`. */
const processesUnder = (root: string): Array<number> =>
  fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).flatMap((entry) => {
    try {
      return fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(root) ? [Number(entry)] : []
    } catch {
      return []
    }
  })

/** Waits (up to 15 s) for the clients under `root` to exit after their tmux server went, then kills what is left. */
const endProcessesUnder = async (root: string) => {
  for (let step = 0; step < 150 && processesUnder(root).length > 0; step++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  for (const pid of processesUnder(root)) {
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // already gone
    }
  }
}

/** Starts a rig under a fresh temporary root. */
export const startRealRig = async (overrides: Record<string, string> = {}): Promise<RealRig> => {
  const root = makeTempDir("helioy-real-")
  const home = join(root, "home")
  const busDir = join(home, ".helioy", "bus")
  const codexHome = join(home, ".codex")
  fs.mkdirSync(home, { recursive: true })
  const model = await startFakeAnthropic()
  const gemini = await startFakeGemini()
  const env: Record<string, string> = {
    HOME: home,
    PATH: [clientsBin(), dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    LANG: "C.UTF-8",
    HELIOY_BUS_DIR: busDir,
    CODEX_HOME: codexHome,
    ANTHROPIC_API_KEY: dummyKeys.anthropic,
    ANTHROPIC_BASE_URL: model.url,
    OPENAI_API_KEY: dummyKeys.openai,
    GEMINI_API_KEY: dummyKeys.gemini,
    GOOGLE_GEMINI_BASE_URL: gemini.url,
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    // Every tool in every request, so the stand-in model can call the bus's tools by name.
    ENABLE_TOOL_SEARCH: "false",
    ...overrides
  }
  const tmux = startTmuxServer(root)
  tmux.newSession("rig", ["sleep", "86400"])
  for (const [name, value] of Object.entries(env)) tmux.run("set-environment", "-g", name, value)
  let sender: BusServer | undefined
  const query = <A>(sql: string, ...params: Array<unknown>): ReadonlyArray<A> => {
    if (!fs.existsSync(join(busDir, "registry.db"))) return []
    const handle = openDatabase(join(busDir, "registry.db"), { readonly: true })
    try {
      return handle.prepare(sql).all(...params) as unknown as ReadonlyArray<A>
    } catch (error) {
      // A registry the first server is still creating: nothing registered yet.
      if (/no such table/.test(String(error))) return []
      throw error
    } finally {
      handle.close()
    }
  }
  return {
    root,
    home,
    busDir,
    codexHome,
    tmux,
    model,
    gemini,
    env,
    repo: (name) => {
      const dir = join(root, name)
      fs.mkdirSync(dir, { recursive: true })
      return dir
    },
    openPane: (cwd, argv, extra = {}) =>
      tmux.run(
        "new-window",
        "-d",
        "-P",
        "-F",
        "#{pane_id}",
        "-t",
        "=rig:",
        "-c",
        cwd,
        ...Object.entries(extra).flatMap(([name, value]) => ["-e", `${name}=${value}`]),
        "--",
        ...argv
      ).trim(),
    cli: (args) => execFileSync(process.execPath, [busBin, ...args], { env: { ...env }, encoding: "utf8" }),
    agents: () =>
      query<AgentRow>("SELECT agent_id, pane_id, session_id, runtime, cwd, pid FROM agents ORDER BY registered_at"),
    wakesOf: (agentId) => query<WakeRow>("SELECT * FROM wakes WHERE agent_id = ? ORDER BY at", agentId),
    hasWaiter: (agentId) => {
      try {
        const pid = Number(fs.readFileSync(join(busDir, "inbox", agentId, ".waiter"), "utf8").trim())
        return Number.isInteger(pid) && pid > 0 && processExists(pid)
      } catch {
        return false
      }
    },
    sender: async () => {
      if (sender !== undefined) return sender
      sender = await startBusServer({
        home,
        busDir,
        agentId: "tester",
        env: { TMUX_TMPDIR: tmux.tmpdir, ...overrides }
      })
      await sender.ok("register_agent", { pwd: root, agent_id: "tester", runtime: "generic" })
      return sender
    },
    close: async () => {
      await sender?.close()
      tmux.kill()
      await model.close()
      await gemini.close()
      await endProcessesUnder(root)
    }
  }
}
