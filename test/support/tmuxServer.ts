/**
 * A private tmux server for tests: its own TMUX_TMPDIR (so its own socket), TMUX / TMUX_PANE removed from every
 * environment it hands on, killed on release. The user's tmux server is never contacted.
 */
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"

/** A running private tmux server. */
export interface TmuxServer {
  /** The TMUX_TMPDIR of this server (its socket lives under it). */
  readonly tmpdir: string
  /**
   * An environment that reaches this server and no other: the test's own, less TMUX and TMUX_PANE, plus TMUX_TMPDIR.
   */
  readonly env: NodeJS.ProcessEnv
  /**
   * An executable to use as HELIOY_TMUX_BIN in-process: runs tmux against this server only, without a locale (as in
   * the environment a runtime gives an MCP server, where LANG is often unset).
   */
  readonly bin: string
  /** Runs one tmux command against this server; throws when it exits non-zero. */
  readonly run: (...args: ReadonlyArray<string>) => string
  /** Starts a detached 200x50 session running `command` (argv, exec'd directly); returns its pane id `%N`. */
  readonly newSession: (name: string, command: ReadonlyArray<string>) => string
  /** The `session:window.pane` address of a pane. */
  readonly target: (paneId: string) => string
  /** The visible text of a pane. */
  readonly capture: (paneId: string) => string
  /** Whether the pane is in copy (or another) mode. */
  readonly inMode: (paneId: string) => boolean
  /** Polls capture-pane (50 ms steps, up to 5 s) until `done` holds; rejects with the last capture otherwise. */
  readonly waitForPane: (paneId: string, done: (text: string) => boolean, what: string) => Promise<string>
  /** Kills the server and removes its TMUX_TMPDIR; safe to call twice. */
  readonly kill: () => void
}

/** The environment the test process hands on to tmux, without any pointer to the user's tmux server. */
export const withoutUserTmux = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const copy = { ...env }
  delete copy.TMUX
  delete copy.TMUX_PANE
  return copy
}

/** Polls `probe` every 50 ms, up to 5 s, until it returns a value; rejects with `what` and the last observation. */
export const pollUntil = async <A>(
  probe: () => A | undefined,
  what: string,
  describeLast: () => string = () => ""
): Promise<A> => {
  for (let step = 0; step < 100; step++) {
    const value = probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const value = probe()
  if (value !== undefined) return value
  throw new Error(`timed out waiting for ${what}\n${describeLast()}`)
}

/** Starts a private tmux server under a fresh TMUX_TMPDIR inside `root` (it does not run until the first session). */
export const startTmuxServer = (root: string): TmuxServer => {
  const tmpdir = fs.mkdtempSync(join(root, "tmux-"))
  const env = { ...withoutUserTmux(process.env), TMUX_TMPDIR: tmpdir }
  const bin = join(tmpdir, "tmux-private")
  fs.writeFileSync(
    bin,
    `#!/bin/sh\nunset TMUX TMUX_PANE LANG LC_ALL LC_CTYPE\nTMUX_TMPDIR='${tmpdir}'\nexport TMUX_TMPDIR\nexec tmux "$@"\n`,
    { mode: 0o755 }
  )
  let killed = false
  const run = (...args: ReadonlyArray<string>): string =>
    execFileSync("tmux", [...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  const capture = (paneId: string) => run("capture-pane", "-p", "-J", "-t", paneId)
  return {
    tmpdir,
    env,
    bin,
    run,
    newSession: (name, command) =>
      run("new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-P", "-F", "#{pane_id}", ...command).trim(),
    target: (paneId) =>
      run("display-message", "-p", "-t", paneId, "#{session_name}:#{window_index}.#{pane_index}").trim(),
    capture,
    inMode: (paneId) => run("display-message", "-p", "-t", paneId, "#{pane_in_mode}").trim() === "1",
    waitForPane: (paneId, done, what) => {
      let last = ""
      return pollUntil(
        () => {
          last = capture(paneId)
          return done(last) ? last : undefined
        },
        what,
        () => `last capture of ${paneId}:\n${last}`
      )
    },
    kill: () => {
      if (killed) return
      killed = true
      try {
        run("kill-server")
      } catch {
        // no server was running
      }
      fs.rmSync(tmpdir, { recursive: true, force: true })
    }
  }
}

/** A private tmux server for the length of the scope. */
export const tmuxServer = (root: string) =>
  Effect.acquireRelease(Effect.sync(() => startTmuxServer(root)), (server) => Effect.sync(() => server.kill()))

/**
 * A stand-in for a coding agent's terminal UI: stdin in raw mode, every chunk read appended to `log` as one JSON
 * line `{ seq, at, text }` (at = hrtime in ns), and a screen drawn like a runtime's TUI: the submitted lines, an
 * input line `❯ <typed text>`, and a status line that says `esc to interrupt` for a while after Enter submits the
 * input (a turn), `? for shortcuts` otherwise. Options (argv after the log): `--ignore-enters N` drops the first N
 * Enters (a TUI still starting), `--dialog TEXT` shows a dialog that swallows every key. Prints `fake-tui ready`.
 */
export const fakeTuiScript = `
import { appendFileSync } from "node:fs"
const [log, ...options] = process.argv.slice(2)
const option = (name) => { const index = options.indexOf(name); return index < 0 ? undefined : options[index + 1] }
let ignoredEnters = Number(option("--ignore-enters") ?? 0)
const dialog = option("--dialog") ?? ""
const turnMillis = Number(option("--turn-ms") ?? 400)
process.stdin.setRawMode(true)
process.stdin.resume()
let seq = 0
let input = ""
let busy = false
const history = []
const draw = () => {
  const lines = ["fake-tui ready", ...history, ...(dialog === "" ? [] : [dialog]), "❯ " + input, busy ? "  esc to interrupt" : "  ? for shortcuts"]
  process.stdout.write("\\x1b[2J\\x1b[H" + lines.join("\\r\\n"))
}
process.stdin.on("data", (chunk) => {
  const text = chunk.toString("utf8")
  appendFileSync(log, JSON.stringify({ seq: seq++, at: process.hrtime.bigint().toString(), text }) + "\\n")
  if (dialog !== "") return draw()
  for (const char of text) {
    if (char !== "\\r") { input += char; continue }
    if (ignoredEnters > 0) { ignoredEnters--; continue }
    if (input === "") continue
    history.push("· " + input)
    input = ""
    busy = true
    setTimeout(() => { busy = false; draw() }, turnMillis)
  }
  draw()
})
draw()
`

/** One chunk the fake TUI read. */
export interface TuiChunk {
  readonly seq: number
  readonly at: bigint
  readonly text: string
}

/** Writes the fake TUI into `dir`; returns the argv that runs it with its chunk log at `log`. */
export const fakeTuiCommand = (
  dir: string,
  log: string,
  options: ReadonlyArray<string> = []
): ReadonlyArray<string> => {
  const script = join(dir, "fake-tui.mjs")
  if (!fs.existsSync(script)) fs.writeFileSync(script, fakeTuiScript)
  return [process.execPath, script, log, ...options]
}

/** The chunks the fake TUI has logged so far. */
export const readTuiLog = (log: string): ReadonlyArray<TuiChunk> => {
  if (!fs.existsSync(log)) return []
  return fs.readFileSync(log, "utf8").split("\n").filter((line) => line !== "").map((line) => {
    const raw = JSON.parse(line) as { seq: number; at: string; text: string }
    return { seq: raw.seq, at: BigInt(raw.at), text: raw.text }
  })
}
