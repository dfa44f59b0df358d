/**
 * `helioy-bus hook <event>` as a runtime runs it: the built binary as a child process, the event JSON on stdin, a
 * small explicit environment (no TMUX / TMUX_PANE, no HELIOY_* from the test's own environment unless given).
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { busBin } from "./mcpClient.js"
import { pollUntil } from "./tmuxServer.js"

/** How a hook process ended and what it printed. */
export interface HookResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Where a hook runs: its HOME, its HELIOY_BUS_DIR and any further variables (TMUX_PANE, HELIOY_AGENT_ID, ...). */
export interface HookEnvironment {
  readonly home: string
  readonly busDir: string
  readonly env?: Record<string, string>
}

/** A hook still running (wait-mail). */
export interface RunningHook {
  readonly pid: number
  /** Resolves when the process has exited. */
  readonly exited: Promise<HookResult>
  /** Whether it has exited yet. */
  readonly done: () => boolean
  /** What it wrote to stderr so far. */
  readonly stderr: () => string
  /** SIGKILLs it if it is still running. */
  readonly kill: () => void
}

const running = new Set<ChildProcess>()

/** The environment of one hook run: PATH, HOME, HELIOY_BUS_DIR and `env`, nothing else. */
export const hookEnv = (where: HookEnvironment): Record<string, string> => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: where.home,
  HELIOY_BUS_DIR: where.busDir,
  ...where.env
})

const spawnHook = (argv: ReadonlyArray<string>, input: string | object, where: HookEnvironment): RunningHook => {
  const child = spawn(argv[0]!, argv.slice(1), { env: hookEnv(where), stdio: ["pipe", "pipe", "pipe"] })
  running.add(child)
  let stdout = ""
  let stderr = ""
  let finished = false
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
  })
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const exited = new Promise<HookResult>((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code, signal) => {
      finished = true
      running.delete(child)
      resolve({ code, signal, stdout, stderr })
    })
  })
  child.stdin!.on("error", () => undefined)
  child.stdin!.end(typeof input === "string" ? input : JSON.stringify(input))
  return {
    pid: child.pid!,
    exited,
    done: () => finished,
    stderr: () => stderr,
    kill: () => {
      if (!finished) child.kill("SIGKILL")
    }
  }
}

/** Starts `node bin/helioy-bus.js hook <event>` with `input` (JSON-encoded unless a string) on stdin. */
export const startHook = (event: string, input: string | object, where: HookEnvironment): RunningHook =>
  spawnHook([process.execPath, busBin, "hook", event], input, where)

/** Runs a hook to its end. */
export const runHook = (event: string, input: string | object, where: HookEnvironment): Promise<HookResult> =>
  startHook(event, input, where).exited

/** Runs a hook through `sh -c` (a shell between the hook and the test, as when a runtime runs hooks via a shell). */
export const runHookViaShell = (event: string, input: string | object, where: HookEnvironment): Promise<HookResult> =>
  spawnHook(["/bin/sh", "-c", `"$0" "$1" hook ${event}; exit $?`, process.execPath, busBin], input, where).exited

/** A stand-in runtime process (`sleep`), whose pid a test hands to a hook through HELIOY_BUS_<RUNTIME>_PID. */
export interface FakeRuntime {
  readonly pid: number
  /** Kills it and resolves once it has exited (and been reaped). */
  readonly stop: () => Promise<void>
}

/** Starts a fake runtime process. */
export const startFakeRuntime = (): FakeRuntime => {
  const child = spawn("sleep", ["600"], { stdio: "ignore" })
  running.add(child)
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child)
      resolve()
    })
  )
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      await exited
    }
  }
}

/** Kills every hook and fake runtime still running (for afterEach). */
export const killHookProcesses = () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  }
  running.clear()
}

/** Waits (bounded poll) until a file exists. */
export const waitForFile = (path: string) =>
  pollUntil(() => (fs.existsSync(path) ? true : undefined), `${path} to appear`)

/** Writes a valid message file into `to`'s inbox the way a sender does: a temp name, then rename into place. */
export const dropMessage = (
  busDir: string,
  fields: { readonly from: string; readonly to: string; readonly content?: string }
) => {
  const inbox = join(busDir, "inbox", fields.to)
  fs.mkdirSync(join(inbox, "archive"), { recursive: true, mode: 0o700 })
  const id = crypto.randomUUID().replaceAll("-", "")
  const now = new Date()
  const sentAt = `${now.toISOString().slice(0, 19)}.${
    String(now.getMilliseconds() * 1000 + dropCount++ % 1000).padStart(6, "0")
  }+00:00`
  const message = {
    id,
    from: fields.from,
    to: fields.to,
    reply_to: fields.from,
    topic: null,
    content: fields.content ?? "hello",
    sent_at: sentAt
  }
  const name = `${sentAt.replaceAll(":", "-")}_${id.slice(0, 8)}.json`
  const temp = join(inbox, `.${name}.tmp`)
  fs.writeFileSync(temp, JSON.stringify(message), { mode: 0o600 })
  fs.renameSync(temp, join(inbox, name))
  return name
}

let dropCount = 0

/** The unread message files of an inbox (empty when it does not exist). */
export const unreadFiles = (busDir: string, agentId: string): ReadonlyArray<string> => {
  try {
    return fs.readdirSync(join(busDir, "inbox", agentId)).filter((name) =>
      name.endsWith(".json") && !name.startsWith(".")
    ).sort()
  } catch {
    return []
  }
}

const mentions = (pid: string, text: string) => {
  for (const file of ["cmdline", "environ"]) {
    try {
      if (fs.readFileSync(`/proc/${pid}/${file}`, "latin1").includes(text)) return true
    } catch {
      // gone, or not ours to read
    }
  }
  return false
}

/**
 * Waits (bounded poll) until no other process names `text` in its command line or environment: e.g. the prune jobs a
 * tmux cleanup hook started for a test's bus dir, before the test removes that dir.
 */
export const waitForNoProcessMentioning = (text: string) =>
  pollUntil(
    () => {
      const self = String(process.pid)
      return fs.readdirSync("/proc").some((pid) => /^\d+$/.test(pid) && pid !== self && mentions(pid, text))
        ? undefined
        : true
    },
    `processes mentioning ${text} to end`
  )
