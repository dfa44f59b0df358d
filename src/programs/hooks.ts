import { Duration, Effect, Either, Option } from "effect"
import { validateAgentId } from "../domain/AgentId.js"
import { BusConfig } from "../services/BusConfig.js"
import { PidFiles } from "../services/PidFiles.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { Tmux } from "../services/Tmux.js"
import { reconcileAgents } from "./bus.js"
import { hookAgent } from "./hookAgent.js"
import { context, type HookContext, type HookOutput, quiet } from "./hookContext.js"
import { joinSession, leaveSession, type MailSummary, mailSummary } from "./session.js"
import { recordWake } from "./waitMail.js"

export { type HookContext, type HookEvent, type HookOutput, quiet } from "./hookContext.js"
export { waitMail } from "./waitMail.js"

/**
 * How long a shared session's SessionStart waits for its launch wrapper's binding (well inside Codex's hook timeout).
 */
const sharedStartWait = Duration.seconds(5)

/** How long the per-prompt hooks wait for a registration that a concurrent hook is still writing. */
const promptWait = Duration.seconds(2)

const intro = (agentId: string) =>
  `helioy-bus: you are '${agentId}' on the agent bus (tools whoami, list_agents, send_message, get_messages).`

/** Records that a hook put the notice of unread mail into the session's context (the session works on it). */
const recordHookWake = (agentId: string, summary: MailSummary) =>
  Either.match(validateAgentId(agentId), {
    onLeft: () => Effect.void,
    onRight: (id) => recordWake(id, summary.unread, "hook-context", true)
  })

const introWithMail = (agentId: string) =>
  Effect.flatMap(
    mailSummary(agentId),
    (mail) =>
      Option.match(mail, {
        onNone: () => Effect.succeed(context("SessionStart", intro(agentId))),
        onSome: (summary) =>
          Effect.as(recordHookWake(agentId, summary), context("SessionStart", `${intro(agentId)} ${summary.text}`))
      })
  )

/** What a session whose environment is shared (Codex's daemon) hears when no launch wrapper owns it. */
export const notOnBusText =
  "helioy-bus: this session is not on the agent bus. Start it with `helioy-bus run codex -- codex` to join."

/**
 * SessionStart. A runtime with a session environment of its own (Claude Code) registers here (pid file written,
 * tmux cleanup hooks installed when in tmux). A shared one (Codex's daemon) is registered by its launch wrapper: the
 * hook finds the agent that owns its session, waiting for the wrapper's binding. Both tell the agent its id and any
 * unread mail; fails with the registry's or the file system's error.
 */
export const sessionStart = Effect.fn("hooks.sessionStart")(function*(hook: HookContext) {
  if (hook.environment === "shared") {
    const agentId = yield* hookAgent(hook, Duration.min(sharedStartWait, (yield* BusConfig).sessionWait))
    return yield* Option.match(agentId, {
      onNone: () => Effect.succeed(context("SessionStart", notOnBusText)),
      onSome: introWithMail
    })
  }
  const tmux = yield* Tmux
  const row = yield* joinSession({
    runtime: hook.runtime,
    runtimePid: hook.runtimePid,
    sessionId: hook.event.session_id,
    cwd: hook.event.cwd,
    paneId: hook.paneId,
    agentId: hook.agentId,
    agentType: hook.agentType
  })
  if (row.pane_id !== "") {
    for (const name of ["after-kill-pane", "pane-exited", "window-unlinked"]) {
      yield* Effect.ignore(tmux.ensureGlobalHook(name, hook.pruneCommand))
    }
  }
  return yield* introWithMail(row.agent_id)
})

/**
 * SessionEnd: leaves the bus (row and pid file removed), except for `clear` and `compact`, which keep the session.
 * In a shared environment the session only ends: while the agent's launch wrapper lives, it keeps the agent (and
 * binds the next session); without one the agent leaves. Repeated SessionEnds are harmless.
 */
export const sessionEnd = Effect.fn("hooks.sessionEnd")(function*(hook: HookContext) {
  if (hook.event.reason === "clear" || hook.event.reason === "compact") return quiet
  if (hook.environment === "shared") {
    const registry = yield* Registry
    const processes = yield* Processes
    if (hook.event.session_id === "") return quiet
    const row = yield* registry.findBySession(hook.event.session_id)
    if (Option.isNone(row)) return quiet
    const wrapperAlive = row.value.pid !== null && (yield* processes.isAlive(row.value.pid))
    if (wrapperAlive) yield* registry.bindSession(row.value.agent_id, "")
    else yield* registry.unregister(row.value.agent_id)
    return quiet
  }
  yield* leaveSession(hook.runtimePid, hook.event.session_id)
  return quiet
})

/**
 * UserPromptSubmit / PreToolUse (Gemini: BeforeAgent): adds "N message(s) from A, B — call get_messages" as context
 * when mail waits; never claims it.
 */
export const mailContext = (hookEventName: string) =>
  Effect.fn("hooks.mailContext")(function*(hook: HookContext) {
    const agentId = yield* hookAgent(hook, promptWait)
    if (Option.isNone(agentId)) return quiet
    const mail = yield* mailSummary(agentId.value)
    return Option.match(mail, { onNone: () => quiet, onSome: (summary) => context(hookEventName, summary.text) })
  })

/**
 * Stop (Gemini: AfterAgent): with unread mail, keeps the session working once (`decision: block`, the notice also
 * naming what awaits an acknowledgement), never again while `stop_hook_active`; the unread messages are recorded as
 * woken by the hook.
 */
export const stop = Effect.fn("hooks.stop")(function*(hook: HookContext) {
  if (hook.event.stop_hook_active) return quiet
  const agentId = yield* hookAgent(hook, promptWait)
  if (Option.isNone(agentId)) return quiet
  const mail = yield* mailSummary(agentId.value)
  // A reminder alone does not keep a session from stopping: only unread mail does.
  if (Option.isNone(mail) || mail.value.unread.length === 0) return quiet
  yield* recordHookWake(agentId.value, mail.value)
  return {
    stdout: JSON.stringify({ decision: "block", reason: mail.value.text }),
    stderr: "",
    exitCode: 0
  } satisfies HookOutput
})

/** prune (tmux cleanup hooks): drops agents whose pane or process is gone, and pid files of dead processes. */
export const prune = Effect.fn("hooks.prune")(function*() {
  const pidFiles = yield* PidFiles
  const processes = yield* Processes
  yield* reconcileAgents()
  for (const entry of yield* pidFiles.list) {
    if (!(yield* processes.isAlive(entry.pid))) yield* pidFiles.remove(entry.pid)
  }
  return quiet
})
