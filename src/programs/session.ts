import { Effect, Either, Option } from "effect"
import { type AgentId, identityTitlePattern, validateAgentId } from "../domain/AgentId.js"
import { mailNotice } from "../domain/MailNotice.js"
import { tmuxTargetProblem } from "../domain/PaneAddress.js"
import { Identity } from "../services/Identity.js"
import { Mailbox, type PendingMessage } from "../services/Mailbox.js"
import { PidFiles } from "../services/PidFiles.js"
import { Registry } from "../services/Registry.js"
import { Tmux } from "../services/Tmux.js"
import { registerAgent } from "./bus.js"

/** What a runtime session knows about itself when it joins the bus. */
export interface JoinInput {
  /** Runtime id (`claude`, `codex`, ...). */
  readonly runtime: string
  /** The runtime's process (its pid file is written for it). */
  readonly runtimePid: number
  readonly sessionId: string
  readonly cwd: string
  /** `TMUX_PANE`, when the session runs in tmux. */
  readonly paneId: string
  /** `HELIOY_AGENT_ID`, when set. */
  readonly agentId: string
  /** `HELIOY_BUS_AGENT_TYPE`, default `general`. */
  readonly agentType: string
}

const decoration = /^[^A-Za-z0-9_-]+\s+/

/**
 * Registers a runtime session: its id is HELIOY_AGENT_ID, else a pane title of the identity form, else the pane's
 * previous identity or `<repo>:<type>:<target>`; then writes its pid file. Fails with the registry's or the file's
 * error.
 */
export const joinSession = Effect.fn("session.join")(function*(input: JoinInput) {
  const tmux = yield* Tmux
  const pidFiles = yield* PidFiles
  const registry = yield* Registry
  const pane = input.paneId === "" ? Option.none() : yield* Effect.option(tmux.pane(input.paneId))
  const title = Option.map(pane, (found) => found.title.replace(decoration, ""))
  const titleId = Option.filter(
    title,
    (text) => identityTitlePattern.test(text) && Either.isRight(validateAgentId(text))
  )
  const explicit = input.agentId !== "" ? input.agentId : Option.getOrElse(titleId, () => "")
  const registered = yield* registerAgent({
    pwd: input.cwd,
    agent_id: explicit,
    idIsFallback: explicit === "",
    agent_type: input.agentType,
    runtime: input.runtime,
    session_id: input.sessionId,
    pane_id: Option.match(pane, { onNone: () => "", onSome: (found) => found.paneId }),
    // A session name tmux allows but a target may not start with (`-foo`) leaves the pane id alone to address it.
    tmux_target: Option.match(pane, {
      onNone: () => "",
      onSome: (found) => tmuxTargetProblem(found.target) === undefined ? found.target : ""
    }),
    pid: input.runtimePid
  })
  yield* pidFiles.write(input.runtimePid, registered.agent_id)
  const row = yield* registry.get(registered.agent_id)
  return Option.getOrThrow(row)
})

/** Who a hook or wrapper speaks for: HELIOY_AGENT_ID, the agent of the runtime session, else the resolved identity. */
export const sessionAgent = Effect.fn("session.agent")(function*(sessionId: string, envAgentId: string) {
  if (envAgentId !== "" && Either.isRight(validateAgentId(envAgentId))) return envAgentId
  const registry = yield* Registry
  const identity = yield* Identity
  if (sessionId !== "") {
    const bySession = yield* registry.findBySession(sessionId)
    if (Option.isSome(bySession)) return bySession.value.agent_id
  }
  return (yield* identity.resolve).agentId
})

/**
 * Removes a runtime session from the bus: the agent in its pid file, else the agent of its session id; deletes the
 * pid file. Succeeds with the agent removed, if any; the inbox is kept.
 */
export const leaveSession = Effect.fn("session.leave")(function*(runtimePid: number, sessionId: string) {
  const pidFiles = yield* PidFiles
  const registry = yield* Registry
  const fromPid = yield* pidFiles.read(runtimePid)
  const agentId = Option.isSome(fromPid)
    ? fromPid
    : sessionId === ""
    ? Option.none<AgentId>()
    : Option.map(yield* registry.findBySession(sessionId), (row) => row.agent_id)
  yield* pidFiles.remove(runtimePid)
  if (Option.isSome(agentId)) yield* registry.unregister(agentId.value)
  return agentId
})

/** What a hook tells an agent of its mail: the notice, and the unread messages it names. */
export interface MailSummary {
  readonly text: string
  readonly unread: ReadonlyArray<PendingMessage>
}

/**
 * One line naming the unread mail of an agent (`N message(s) from A, B — call get_messages`, urgent mail first) and
 * the read messages awaiting its acknowledgement, or none when there is neither.
 */
export const mailSummary = Effect.fn("session.mailSummary")(function*(agentId: string) {
  const mailbox = yield* Mailbox
  const valid = validateAgentId(agentId)
  if (Either.isLeft(valid)) return Option.none<MailSummary>()
  const unread = yield* mailbox.pending(valid.right)
  const awaiting = yield* mailbox.awaitingAck(valid.right)
  if (unread.length === 0 && awaiting.length === 0) return Option.none<MailSummary>()
  return Option.some<MailSummary>({ text: mailNotice(agentId, unread, awaiting.length), unread })
})
