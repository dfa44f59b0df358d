/**
 * Hook event payloads as the runtimes send them on stdin: Claude Code's documented shapes (every event has
 * session_id, transcript_path, cwd, hook_event_name, plus its own fields) and Codex's, whose transcript lives
 * under ~/.codex/.
 */
import { join } from "node:path"

/** Who sends the event: the session, its working directory and the HOME its transcript lives under. */
export interface EventSession {
  readonly sessionId: string
  readonly cwd: string
  readonly home: string
}

const claudeBase = (session: EventSession, hookEventName: string) => ({
  session_id: session.sessionId,
  transcript_path: join(
    session.home,
    ".claude",
    "projects",
    session.cwd.replaceAll("/", "-"),
    `${session.sessionId}.jsonl`
  ),
  cwd: session.cwd,
  permission_mode: "default",
  hook_event_name: hookEventName
})

/** Claude Code's SessionStart. */
export const sessionStart = (
  session: EventSession,
  source: "startup" | "resume" | "clear" | "compact" = "startup"
) => ({
  ...claudeBase(session, "SessionStart"),
  source
})

/** Claude Code's SessionEnd. */
export const sessionEnd = (session: EventSession, reason: "clear" | "logout" | "prompt_input_exit" | "other") => ({
  ...claudeBase(session, "SessionEnd"),
  reason
})

/** Claude Code's UserPromptSubmit. */
export const userPromptSubmit = (session: EventSession, prompt = "what changed since yesterday?") => ({
  ...claudeBase(session, "UserPromptSubmit"),
  prompt
})

/** Claude Code's PreToolUse (a Bash call). */
export const preToolUse = (session: EventSession) => ({
  ...claudeBase(session, "PreToolUse"),
  tool_name: "Bash",
  tool_input: { command: "npm test", description: "Run the tests" },
  tool_use_id: "toolu_01ABCDEF"
})

/** Claude Code's Stop. */
export const stop = (session: EventSession, stopHookActive: boolean) => ({
  ...claudeBase(session, "Stop"),
  stop_hook_active: stopHookActive
})

/** Codex's SessionStart: a rollout transcript under ~/.codex/sessions. */
export const codexSessionStart = (session: EventSession) => ({
  session_id: session.sessionId,
  transcript_path: join(
    session.home,
    ".codex",
    "sessions",
    "2026",
    "03",
    "16",
    `rollout-2026-03-16T12-00-00-${session.sessionId}.jsonl`
  ),
  cwd: session.cwd,
  hook_event_name: "SessionStart",
  model: "gpt-5-codex",
  source: "startup"
})

/** The fields every Gemini CLI (0.61) hook event has; the transcript lives under ~/.gemini/tmp/<project>/chats. */
const geminiBase = (session: EventSession, hookEventName: string) => ({
  session_id: session.sessionId,
  transcript_path: join(
    session.home,
    ".gemini",
    "tmp",
    "proj",
    "chats",
    `session-2026-12-01T17-40-${session.sessionId.slice(0, 8)}.jsonl`
  ),
  cwd: session.cwd,
  hook_event_name: hookEventName,
  timestamp: "2026-12-01T17:40:37.799Z"
})

/** Gemini CLI's SessionStart, as it sends it when the TUI starts. */
export const geminiSessionStart = (session: EventSession, source: "startup" | "resume" | "clear" = "startup") => ({
  ...geminiBase(session, "SessionStart"),
  source
})

/** Gemini CLI's BeforeAgent: the prompt about to be sent. */
export const geminiBeforeAgent = (session: EventSession, prompt = "hi") => ({
  ...geminiBase(session, "BeforeAgent"),
  prompt
})

/** Gemini CLI's AfterAgent: the turn's prompt and answer, and whether an AfterAgent hook already kept it going. */
export const geminiAfterAgent = (session: EventSession, stopHookActive: boolean) => ({
  ...geminiBase(session, "AfterAgent"),
  prompt: "hi",
  prompt_response: "ok",
  stop_hook_active: stopHookActive
})

/** Gemini CLI's SessionEnd (fired up to three times on one `/quit`, each with reason `exit`). */
export const geminiSessionEnd = (session: EventSession, reason: "exit" | "clear" | "logout" | "other" = "exit") => ({
  ...geminiBase(session, "SessionEnd"),
  reason
})

/** The variables Gemini CLI sets for every hook it runs (besides its own environment, TMUX_PANE included). */
export const geminiHookEnv = (session: EventSession): Record<string, string> => ({
  GEMINI_SESSION_ID: session.sessionId,
  GEMINI_PROJECT_DIR: session.cwd,
  GEMINI_CWD: session.cwd,
  CLAUDE_PROJECT_DIR: session.cwd,
  GEMINI_CLI_NO_RELAUNCH: "true"
})
