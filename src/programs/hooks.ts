import { Duration, Effect, Option, Schedule } from "effect"
import { type AgentId, validateAgentId } from "../domain/AgentId.js"
import { Mailbox } from "../services/Mailbox.js"
import { PidFiles } from "../services/PidFiles.js"
import { Processes } from "../services/Processes.js"
import { Tmux } from "../services/Tmux.js"
import { reconcileAgents } from "./bus.js"
import { joinSession, leaveSession, mailSummary, sessionAgent } from "./session.js"

/** The fields of a runtime's hook event the bus reads; anything missing is empty. */
export interface HookEvent {
  readonly session_id: string
  readonly cwd: string
  readonly source: string
  readonly reason: string
  readonly stop_hook_active: boolean
}

/** What a hook handler knows besides its event. */
export interface HookContext {
  readonly event: HookEvent
  /** The runtime process the hook belongs to. */
  readonly runtimePid: number
  readonly runtime: string
  /** HELIOY_AGENT_ID, TMUX_PANE and HELIOY_BUS_AGENT_TYPE ("" when unset). */
  readonly agentId: string
  readonly paneId: string
  readonly agentType: string
  /** The shell command the tmux cleanup hooks run (`helioy-bus hook prune`). */
  readonly pruneCommand: string
}

/** What a hook prints and how it exits. */
export interface HookOutput {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

/** Nothing to say. */
export const quiet: HookOutput = { stdout: "", stderr: "", exitCode: 0 }

const context = (hookEventName: string, additionalContext: string): HookOutput => ({
  stdout: JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext } }),
  stderr: "",
  exitCode: 0
})

/**
 * SessionStart: registers the session (pid file written, tmux cleanup hooks installed when in tmux) and tells the
 * agent its id and any unread mail; fails with the registry's or the file system's error.
 */
export const sessionStart = Effect.fn("hooks.sessionStart")(function*(hook: HookContext) {
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
  const mail = yield* mailSummary(row.agent_id)
  const intro = `helioy-bus: you are '${row.agent_id}' on the agent bus (tools whoami, list_agents, send_message, get_messages).`
  return context("SessionStart", Option.match(mail, { onNone: () => intro, onSome: (summary) => `${intro} ${summary.text}` }))
})

/** SessionEnd: leaves the bus (row and pid file removed), except for `clear` and `compact`, which keep the session. */
export const sessionEnd = Effect.fn("hooks.sessionEnd")(function*(hook: HookContext) {
  if (hook.event.reason === "clear" || hook.event.reason === "compact") return quiet
  yield* leaveSession(hook.runtimePid, hook.event.session_id)
  return quiet
})

/** UserPromptSubmit / PreToolUse: adds "N message(s) from A, B — call get_messages" as context when mail waits; never claims it. */
export const mailContext = (hookEventName: string) =>
  Effect.fn("hooks.mailContext")(function*(hook: HookContext) {
    const agentId = yield* sessionAgent(hook.event.session_id, hook.agentId)
    const mail = yield* mailSummary(agentId)
    return Option.match(mail, { onNone: () => quiet, onSome: (summary) => context(hookEventName, summary.text) })
  })

/** Stop: with unread mail, keeps the session working once (`decision: block`), never again while `stop_hook_active`. */
export const stop = Effect.fn("hooks.stop")(function*(hook: HookContext) {
  if (hook.event.stop_hook_active) return quiet
  const agentId = yield* sessionAgent(hook.event.session_id, hook.agentId)
  const mail = yield* mailSummary(agentId)
  return Option.match(mail, {
    onNone: () => quiet,
    onSome: (summary): HookOutput => ({
      stdout: JSON.stringify({ decision: "block", reason: summary.text }),
      stderr: "",
      exitCode: 0
    })
  })
})

const runtimeGone = (pid: number) =>
  Effect.flatMap(Processes, (processes) =>
    Effect.repeat(processes.isAlive(pid), {
      while: (alive) => alive,
      schedule: Schedule.spaced(Duration.seconds(2))
    }))

/**
 * wait-mail (an async rewake hook): waits without polling the inbox until mail arrives that was not there when it
 * started, then exits 2 with a one-line summary on stderr; exits quietly when another waiter holds the agent or the
 * runtime process ends.
 */
export const waitMail = Effect.fn("hooks.waitMail")(function*(hook: HookContext) {
  const mailbox = yield* Mailbox
  const agentId = yield* sessionAgent(hook.event.session_id, hook.agentId)
  const valid = validateAgentId(agentId)
  if (valid._tag === "Left") return quiet
  const id: AgentId = valid.right
  // The snapshot comes before the waiter lock: once a sender can see the waiter (and skips its nudge), every
  // message it delivers is already outside `known`, so the waiter wakes for it.
  const known = new Set((yield* mailbox.pending(id)).map((message) => message.file))
  return yield* Effect.scoped(Effect.gen(function*() {
    if (!(yield* mailbox.holdWaiter(id))) return quiet
    const arrived = yield* Effect.raceFirst(
      Effect.map(mailbox.awaitNew(id, known), Option.some),
      Effect.as(runtimeGone(hook.runtimePid), Option.none())
    )
    return Option.match(arrived, {
      onNone: () => quiet,
      onSome: (fresh): HookOutput => {
        const senders = [...new Set(fresh.map((message) => message.from))].join(", ")
        return {
          stdout: "",
          stderr: `helioy-bus: ${fresh.length} new message(s) for '${id}' from ${senders} — call get_messages to read them.`,
          exitCode: 2
        }
      }
    })
  }))
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
