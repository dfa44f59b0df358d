import { join } from "node:path"
import type { LaunchOptions, RuntimeAdapter, ScreenModel } from "../domain/RuntimeAdapter.js"

/**
 * Gemini CLI's TUI (0.61): a ` > ` input line inside a box (the placeholder `Type your message` when empty); `esc to
 * cancel` while a turn runs; the folder trust and tool confirmation dialogs. Its ` > ` input line exists only once
 * it has started. While a turn's AfterAgent hook runs, the status line shows only `Executing Hook: …`: that is not
 * counted as busy, so a notice typed then is queued by Gemini (shown under `Queued`) and runs after the turn, rather
 * than left to a hook that may have read the inbox before the mail came.
 */
export const geminiScreen: ScreenModel = {
  prompt: ">",
  busy: [/esc to cancel/],
  dialog: [
    /^[\s│]*[●❯›>] \d+\. /m,
    /Do you trust/i,
    /Allow once/i,
    /Allow execution/i,
    /Waiting for user confirmation/i
  ],
  starting: [/Initializing\.\.\./],
  ready: [/^ > /m],
  queued: /Queued \(press ↑ to edit\):/
}

/** The first prompt of a Gemini member playing an agent type: names the file that describes the role. */
export const geminiRolePrompt = (instructionsFile: string): string =>
  `You play the agent described in ${instructionsFile}. Read that file first and follow it for the rest of this session.`

/**
 * The Gemini CLI adapter: its hooks register it (SessionStart), show mail at each turn (BeforeAgent) and keep a turn
 * going on unread mail (AfterAgent); an idle session is woken by a confirmed tmux nudge (Gemini has no rewake hook).
 * A specialist member gets its agent file named in its first prompt (`-i`).
 */
export const gemini = (model: string): RuntimeAdapter => ({
  id: "gemini",
  pidEnvs: ["HELIOY_BUS_GEMINI_PID"],
  registration: "hook",
  hookEnvironment: "session",
  wake: { tmuxNudge: true, rewakeHook: false, wrapper: "pane" },
  stopHook: true,
  screen: geminiScreen,
  messageSuffix: "",
  launch: (options: LaunchOptions) => ({
    command: "gemini",
    program: "gemini",
    args: [
      ...(model === "" ? [] : ["--model", model]),
      ...(options.instructionsFile ? ["--prompt-interactive", geminiRolePrompt(options.instructionsFile)] : [])
    ],
    env: { HELIOY_RUNTIME: "gemini", ...(options.agentType ? { HELIOY_BUS_AGENT_TYPE: options.agentType } : {}) }
  }),
  agentTypeDirs: (home, projectDir) => [join(home, ".claude", "agents"), join(projectDir, ".claude", "agents")]
})
