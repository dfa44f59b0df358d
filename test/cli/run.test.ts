/** `helioy-bus run <runtime> -- <command…>`, the launch wrapper, through the built binary and a fake runtime. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import * as fs from "node:fs"
import { constants } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { openDatabase } from "../integration/referenceDb.js"
import { busBin, makeTempDir, removeTempDirs } from "../support/mcpClient.js"

const fakeRuntime = fileURLToPath(new URL("../support/fakeRuntime.js", import.meta.url))

/** What the fake runtime reports when it starts. */
interface Ready {
  readonly ready: true
  readonly pid: number
  readonly ppid: number
  readonly codexPid: string | null
  readonly runtime: string | null
  readonly busCwd: string | null
  readonly args: ReadonlyArray<string>
}

interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** One running `helioy-bus run`. */
interface Launched {
  readonly wrapper: ChildProcessWithoutNullStreams
  /** The next JSON line the runtime printed (resolves as soon as it arrives). */
  readonly nextLine: () => Promise<Record<string, unknown>>
  readonly ended: Promise<Ended>
  readonly stderr: () => string
}

const launched: Array<Launched> = []

afterEach(() => {
  for (const { wrapper } of launched.splice(0)) {
    if (wrapper.exitCode === null && wrapper.signalCode === null) wrapper.kill("SIGKILL")
    wrapper.stdin.destroy()
  }
  removeTempDirs()
})

/** A fresh bus dir (not created yet), HOME and project dir for one test. */
const freshBus = () => {
  const root = makeTempDir("helioy-run-")
  const project = join(root, "project")
  fs.mkdirSync(project)
  return { root, project, busDir: join(root, "bus") }
}

type Bus = ReturnType<typeof freshBus>

/** Starts `node bin/helioy-bus.js run <runtime> -- <command…>` in the project dir with only the bus's environment. */
const launch = (
  bus: Bus,
  runtime: string,
  command: ReadonlyArray<string>,
  options: { readonly ownGroup?: boolean } = {}
): Launched => {
  const wrapper = spawn(process.execPath, [busBin, "run", runtime, "--", ...command], {
    cwd: bus.project,
    detached: options.ownGroup === true,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: bus.root, HELIOY_BUS_DIR: bus.busDir },
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<Record<string, unknown>> = []
  const waiting: Array<(line: Record<string, unknown>) => void> = []
  let buffered = ""
  wrapper.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8")
    for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
      const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>
      buffered = buffered.slice(newline + 1)
      const waiter = waiting.shift()
      if (waiter) waiter(line)
      else lines.push(line)
    }
  })
  let stderr = ""
  wrapper.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const ended = new Promise<Ended>((resolve) => wrapper.once("exit", (code, signal) => resolve({ code, signal })))
  const closed = new Promise<void>((resolve) => wrapper.once("close", () => resolve()))
  const nextLine = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const line = lines.shift()
      if (line !== undefined) return resolve(line)
      waiting.push(resolve)
      void closed.then(() => reject(new Error(`the wrapper ended first (exit ${wrapper.exitCode}); stderr: ${stderr}`)))
    })
  const running: Launched = { wrapper, nextLine, ended, stderr: () => stderr }
  launched.push(running)
  return running
}

const launchFake = (
  bus: Bus,
  runtime = "codex",
  args: ReadonlyArray<string> = [],
  options: { readonly ownGroup?: boolean } = {}
) => launch(bus, runtime, [process.execPath, fakeRuntime, ...args], options)

const ready = async (run: Launched) => (await run.nextLine()) as unknown as Ready

interface AgentRow {
  readonly agent_id: string
  readonly runtime: string
  readonly pid: number | null
  readonly agent_type: string
  readonly cwd: string
}

const registryRows = (bus: Bus): ReadonlyArray<AgentRow> => {
  const db = openDatabase(join(bus.busDir, "registry.db"))
  try {
    return db.prepare("SELECT agent_id, runtime, pid, agent_type, cwd FROM agents").all() as unknown as Array<AgentRow>
  } finally {
    db.close()
  }
}

const pidFiles = (bus: Bus): ReadonlyArray<string> => fs.readdirSync(join(bus.busDir, "pids"))

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("helioy-bus run", () => {
  it("registers the wrapper's pid as the runtime while it runs, and passes it the pid, runtime and cwd variables", async () => {
    const bus = freshBus()
    const run = launchFake(bus)
    const started = await ready(run)
    const wrapperPid = run.wrapper.pid!

    expect(started.ppid).toBe(wrapperPid)
    expect(started.codexPid).toBe(String(wrapperPid))
    expect(started.runtime).toBe("codex")
    expect(started.busCwd).toBe(fs.realpathSync(bus.project))

    const rows = registryRows(bus)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ runtime: "codex", pid: wrapperPid, agent_type: "general" })
    expect(pidFiles(bus)).toEqual([String(wrapperPid)])
    expect(fs.readFileSync(join(bus.busDir, "pids", String(wrapperPid)), "utf8")).toBe(rows[0]!.agent_id)

    run.wrapper.stdin.write("exit 0\n")
    expect(await run.ended).toEqual({ code: 0, signal: null })
    expect(registryRows(bus)).toEqual([])
    expect(pidFiles(bus)).toEqual([])
  })

  it("exits with the runtime's exit code and leaves no registration behind", async () => {
    const bus = freshBus()
    const run = launchFake(bus)
    await ready(run)
    expect(registryRows(bus)).toHaveLength(1)

    run.wrapper.stdin.write("exit 42\n")
    expect(await run.ended).toEqual({ code: 42, signal: null })
    expect(registryRows(bus)).toEqual([])
    expect(pidFiles(bus)).toEqual([])
  })

  it.each(["SIGHUP", "SIGTERM", "SIGINT"] as const)(
    "on %s forwards it to the runtime, unregisters, and exits 128+signal",
    async (signal) => {
      const bus = freshBus()
      const run = launchFake(bus)
      const started = await ready(run)
      expect(registryRows(bus)).toHaveLength(1)

      run.wrapper.kill(signal)
      expect(await run.nextLine()).toEqual({ signal })
      expect(await run.ended).toEqual({ code: 128 + constants.signals[signal], signal: null })
      expect(isAlive(started.pid)).toBe(false)
      expect(registryRows(bus)).toEqual([])
      expect(pidFiles(bus)).toEqual([])
    }
  )

  it("on a SIGHUP to its whole process group (tmux closing the window) the runtime ends and nothing stays registered", async () => {
    const bus = freshBus()
    const run = launchFake(bus, "codex", [], { ownGroup: true })
    const started = await ready(run)
    expect(registryRows(bus)).toHaveLength(1)

    process.kill(-run.wrapper.pid!, "SIGHUP")
    expect(await run.ended).toEqual({ code: 128 + constants.signals.SIGHUP, signal: null })
    expect(isAlive(started.pid)).toBe(false)
    expect(registryRows(bus)).toEqual([])
    expect(pidFiles(bus)).toEqual([])
  })

  it("refuses an unknown runtime with exit 2 and a message naming the known ones, before touching the bus", async () => {
    const bus = freshBus()
    const run = launchFake(bus, "no-such-runtime")

    expect(await run.ended).toEqual({ code: 2, signal: null })
    expect(run.stderr()).toContain("unknown runtime 'no-such-runtime'")
    for (const known of ["claude", "claude-opus", "codex", "gemini", "grok", "grok-fast", "generic"]) {
      expect(run.stderr()).toContain(known)
    }
    expect(fs.existsSync(bus.busDir)).toBe(false)
  })

  it("exits 127 for a command that does not exist, and leaves nothing registered", async () => {
    const bus = freshBus()
    const missing = join(bus.root, "no-such-runtime-binary")
    const run = launch(bus, "codex", [missing, "--flag"])

    expect(await run.ended).toEqual({ code: 127, signal: null })
    expect(run.stderr()).toContain(`${missing}: command not found`)
    expect(registryRows(bus)).toEqual([])
    expect(pidFiles(bus)).toEqual([])
  })

  it("still runs the runtime, and propagates its exit code, when the bus dir is unusable (group-writable)", async () => {
    const bus = freshBus()
    fs.mkdirSync(bus.busDir)
    fs.chmodSync(bus.busDir, 0o770)
    const run = launchFake(bus)
    const started = await ready(run)
    expect(started.codexPid).toBe(String(run.wrapper.pid))

    run.wrapper.stdin.write("exit 7\n")
    expect(await run.ended).toEqual({ code: 7, signal: null })
    expect(run.stderr()).toContain("not joining the bus")
    expect(run.stderr()).toContain("group- or world-writable")
    expect(fs.readdirSync(bus.busDir)).toEqual([])
  })

  it("hands the runtime its own --help, --version and --log-level untouched", async () => {
    const bus = freshBus()
    const args = ["--help", "-h", "--version", "--log-level", "debug", "--wizard", "--", " spaced "]
    const run = launchFake(bus, "codex", args)
    expect((await ready(run)).args).toEqual(args)

    run.wrapper.stdin.write("exit 0\n")
    expect(await run.ended).toEqual({ code: 0, signal: null })
  })
})
