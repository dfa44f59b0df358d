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
