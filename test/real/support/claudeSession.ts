/** Real Claude Code sessions in the rig: a seeded HOME, the bus installed the way a user does it, one pane each. */
import * as fs from "node:fs"
import { join } from "node:path"
import { clientsBin } from "./clients.js"
import { dummyKeys, type RealRig, waitFor } from "./realRig.js"

/** A Claude Code session that joined the bus. */
export interface ClaudeSession {
  readonly paneId: string
  readonly agentId: string
  readonly sessionId: string
  readonly cwd: string
  /** The session's transcript (written from its first turn on). */
  readonly transcript: string
}

const readJson = (path: string): Record<string, unknown> =>
  fs.existsSync(path) ? JSON.parse(fs.readFileSync(path, "utf8")) as Record<string, unknown> : {}

/** Seeds `~/.claude.json` as a user who finished onboarding and trusts `projects` (and the dummy key). */
export const seedClaudeAccount = (rig: RealRig, projects: ReadonlyArray<string>) => {
  fs.writeFileSync(
    join(rig.home, ".claude.json"),
    JSON.stringify({
      hasCompletedOnboarding: true,
      theme: "dark",
      customApiKeyResponses: { approved: [dummyKeys.anthropic.slice(-20)], rejected: [] },
      projects: Object.fromEntries(projects.map((dir) => [dir, { hasTrustDialogAccepted: true }]))
    })
  )
}

/** How Claude Code names the bus's tools: `mcp__<server>__<tool>`, a plugin's servers as `plugin_<plugin>_<server>`. */
export const busToolPrefix = { installed: "mcp__helioy-bus__", plugin: "mcp__plugin_helioy-bus_helioy-bus__" } as const

/**
 * Pre-approves the bus's read-only tools (named with `prefix`) in `~/.claude/settings.json`, as a user would allow
 * them.
 */
export const allowBusTools = (
  rig: RealRig,
  edit: (settings: Record<string, unknown>) => void = () => {},
  prefix: string = busToolPrefix.installed
) => {
  const settingsPath = join(rig.home, ".claude", "settings.json")
  const settings = readJson(settingsPath)
  edit(settings)
  settings.permissions = { allow: [`${prefix}whoami`, `${prefix}get_messages`] }
  fs.mkdirSync(join(rig.home, ".claude"), { recursive: true })
  fs.writeFileSync(settingsPath, JSON.stringify(settings, null, 2))
}

/**
 * Seeds the account (seedClaudeAccount), then runs `helioy-bus install claude`; `hooks: false` removes the bus's hooks
 * again (a session the launch wrapper registers, woken only by a typed nudge). The bus's read-only tools are
 * pre-approved.
 */
export const seedClaude = (
  rig: RealRig,
  projects: ReadonlyArray<string>,
  options: { readonly hooks?: boolean } = {}
) => {
  seedClaudeAccount(rig, projects)
  rig.cli(["install", "claude"])
  allowBusTools(rig, (settings) => {
    if (options.hooks === false) delete settings.hooks
  })
}

/** The transcript of a session in `cwd`, as Claude Code names it. */
const transcriptOf = (rig: RealRig, cwd: string, sessionId: string) =>
  join(rig.home, ".claude", "projects", cwd.replaceAll(/[^A-Za-z0-9]/g, "-"), `${sessionId}.jsonl`)

/**
 * Starts `claude` (or `argv`) in a new pane in `cwd` and waits until the session is registered under that pane
 * and, when `waiter` holds, its rewake waiter is armed for the registered id and the TUI is idle at its prompt.
 */
export const startClaude = async (
  rig: RealRig,
  cwd: string,
  options: {
    readonly argv?: ReadonlyArray<string>
    readonly waiter?: boolean
    readonly env?: Record<string, string>
    /** How long registration may take (90 s; a plugin's first session registers after its bootstrap). */
    readonly registerSeconds?: number
  } = {}
): Promise<ClaudeSession> => {
  const paneId = rig.openPane(cwd, options.argv ?? [join(clientsBin(), "claude")], options.env)
  const row = await waitFor(
    "the Claude Code session to register",
    options.registerSeconds ?? 90,
    () => rig.agents().find((agent) => agent.pane_id === paneId),
    () => rig.tmux.capture(paneId)
  )
  if (options.waiter !== false) {
    await waitFor(`the rewake waiter of ${row.agent_id}`, 60, () => rig.hasWaiter(row.agent_id) ? true : undefined)
  }
  await waitFor(
    "the TUI to be idle at its prompt",
    60,
    () => claudeIdle(rig.tmux.capture(paneId)) ? true : undefined,
    () => rig.tmux.capture(paneId)
  )
  const agent = rig.agents().find((found) => found.pane_id === paneId)!
  return {
    paneId,
    agentId: agent.agent_id,
    sessionId: agent.session_id,
    cwd,
    transcript: transcriptOf(rig, cwd, agent.session_id)
  }
}

/**
 * Whether a Claude Code screen shows its input box and no running turn (its status line varies with the permission
 * mode).
 */
export const claudeIdle = (screen: string): boolean => /^❯/m.test(screen) && !/esc to interrupt/.test(screen)

/** The turns a session started so far: the user-side entries of its transcript, with their times and texts. */
export const claudeTurns = (session: ClaudeSession): ReadonlyArray<{ readonly at: number; readonly text: string }> => {
  if (!fs.existsSync(session.transcript)) return []
  return fs.readFileSync(session.transcript, "utf8").split("\n").flatMap((line) => {
    if (line.trim() === "") return []
    const entry = JSON.parse(line) as {
      type?: string
      timestamp?: string
      message?: { role?: string; content?: unknown }
    }
    if (entry.type !== "user" || entry.message?.role !== "user") return []
    const content = entry.message.content
    const text = typeof content === "string" ? content : JSON.stringify(content)
    // A tool result is part of a turn already running, not the start of one.
    if (text.includes("\"tool_result\"")) return []
    return [{ at: Date.parse(entry.timestamp ?? ""), text }]
  })
}

/** Types `/exit` and Enter as the user would, and waits for the pane's program to end. */
export const exitClaude = async (rig: RealRig, session: ClaudeSession) => {
  rig.tmux.run("send-keys", "-t", session.paneId, "-l", "/exit")
  await new Promise((resolve) => setTimeout(resolve, 300))
  rig.tmux.run("send-keys", "-t", session.paneId, "Enter")
  await waitFor(
    "the Claude Code pane to close",
    30,
    () => rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").split("\n").includes(session.paneId) ? undefined : true
  )
}
