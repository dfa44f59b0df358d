/** Real Gemini CLI sessions in the rig: a seeded HOME, the bus installed the way a user does it, one pane each. */
import * as fs from "node:fs"
import { join } from "node:path"
import { busBin } from "../../support/mcpClient.js"
import { clientsBin } from "./clients.js"
import type { GeminiRequest } from "./fakeGemini.js"
import { type RealRig, waitFor } from "./realRig.js"

/** A Gemini CLI session that joined the bus. */
export interface GeminiSession {
  readonly paneId: string
  readonly agentId: string
  readonly sessionId: string
  readonly cwd: string
}

const settingsPath = (rig: RealRig) => join(rig.home, ".gemini", "settings.json")

/**
 * Seeds `~/.gemini` as a user signed in with an API key who trusts `projects` (`trustedFolders.json`), then runs
 * `helioy-bus install gemini` and marks the bus's server trusted (its tools run without a confirmation dialog), as a
 * user who allows them would.
 */
export const seedGemini = (rig: RealRig, projects: ReadonlyArray<string>) => {
  fs.mkdirSync(join(rig.home, ".gemini"), { recursive: true })
  fs.writeFileSync(
    settingsPath(rig),
    JSON.stringify(
      {
        security: { auth: { selectedType: "gemini-api-key" } },
        general: { disableAutoUpdate: true },
        privacy: { usageStatisticsEnabled: false }
      },
      null,
      2
    )
  )
  fs.writeFileSync(
    join(rig.home, ".gemini", "trustedFolders.json"),
    JSON.stringify(Object.fromEntries(projects.map((dir) => [dir, "TRUST_FOLDER"])))
  )
  rig.cli(["install", "gemini"])
  const settings = JSON.parse(fs.readFileSync(settingsPath(rig), "utf8")) as {
    mcpServers: Record<string, Record<string, unknown>>
  }
  settings.mcpServers["helioy-bus"]!.trust = true
  fs.writeFileSync(settingsPath(rig), JSON.stringify(settings, null, 2))
}

/** Whether a Gemini CLI screen shows its input line, no running turn and no hook running (a turn's last step). */
export const geminiIdle = (screen: string): boolean =>
  /^ > /m.test(screen) && !/esc to cancel/.test(screen) && !/Executing Hooks?: /.test(screen)

/**
 * Starts `gemini` (through `helioy-bus run gemini` when `wrapped`) in a new pane in `cwd` and waits until it is
 * registered under that pane and idle at its prompt. CI
 * is emptied for the pane: with CI set (as in CI runs), Gemini CLI runs headless and exits at once.
 */
export const startGemini = async (
  rig: RealRig,
  cwd: string,
  env: Record<string, string> = {},
  options: { readonly wrapped?: boolean } = {}
): Promise<GeminiSession> => {
  const command = [join(clientsBin(), "gemini")]
  const paneId = rig.openPane(
    cwd,
    options.wrapped === true ? [process.execPath, busBin, "run", "gemini", "--", ...command] : command,
    { CI: "", ...env }
  )
  const row = await waitFor(
    "the Gemini CLI session to register",
    90,
    () => rig.agents().find((agent) => agent.pane_id === paneId),
    () => rig.tmux.capture(paneId)
  )
  await waitFor(
    "the TUI to be idle at its prompt",
    60,
    () => geminiIdle(rig.tmux.capture(paneId)) ? true : undefined,
    () => rig.tmux.capture(paneId)
  )
  return { paneId, agentId: row.agent_id, sessionId: row.session_id, cwd }
}

/** The turns of a session so far: the main-model requests that start one (not a tool result's follow-up). */
export const geminiTurns = (rig: RealRig, session: GeminiSession): ReadonlyArray<GeminiRequest> =>
  rig.gemini.requests.filter((request) => request.cwd === session.cwd && !request.toolResponse)

/** Types `text` and, after a pause, Enter into a pane, as the user would. */
export const typeInto = async (rig: RealRig, paneId: string, text: string) => {
  rig.tmux.run("send-keys", "-t", paneId, "-l", text)
  await new Promise((resolve) => setTimeout(resolve, 300))
  rig.tmux.run("send-keys", "-t", paneId, "Enter")
}

/** Types `/quit` and Enter as the user would, and waits for the pane's program to end. */
export const quitGemini = async (rig: RealRig, session: GeminiSession) => {
  await typeInto(rig, session.paneId, "/quit")
  await waitFor(
    "the Gemini CLI pane to close",
    30,
    () => rig.tmux.run("list-panes", "-a", "-F", "#{pane_id}").split("\n").includes(session.paneId) ? undefined : true,
    () => rig.tmux.capture(session.paneId)
  )
}
