/**
 * A private tmux server for the figures that need panes (own TMUX_TMPDIR, never the user's server), and whether
 * and which tmux is installed.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { onCleanup } from "./cleanup.js"

/** The environment without any pointer to the user's tmux server. */
const withoutUserTmux = (env) => {
  const copy = { ...env }
  delete copy.TMUX
  delete copy.TMUX_PANE
  return copy
}

/** Starts a private tmux server with one session running `command` (killed at cleanup); throws if tmux fails. */
export const startTmux = (root, session, command) => {
  // Returns its `env` (for servers that must reach it), `run` (throws on a tmux error) and the first pane id.
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

/** Whether tmux can be run; false (never throws) when `tmux -V` fails. */
export const hasTmux = () => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/** The `tmux -V` line; null (never throws) when tmux cannot be run. */
export const tmuxVersion = () => {
  try {
    return execFileSync("tmux", ["-V"], { encoding: "utf8" }).trim()
  } catch {
    return null
  }
}
