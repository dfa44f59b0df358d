import { Clock, Effect, Option, Schema } from "effect"
import { agentView } from "../domain/AgentRecord.js"
import { paneIdProblem, tmuxTargetProblem } from "../domain/PaneAddress.js"
import { profileProblem } from "../domain/Profile.js"
import { formatMillis } from "../domain/Timestamp.js"
import { InvalidInput, NotRegistered } from "../errors/bus.js"
import { BusConfig } from "../services/BusConfig.js"
import { Identity } from "../services/Identity.js"
import { Mailbox } from "../services/Mailbox.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { SessionEnv } from "../services/SessionEnv.js"
import { Tmux } from "../services/Tmux.js"
import { agentIdArgument, callerId } from "./caller.js"
import { decodeInput, OptionalText, Text } from "./toolInput.js"

export { type AcknowledgeInput, acknowledgeMessage } from "./acknowledge.js"
export { callerId } from "./caller.js"
export { getMessages, type GetMessagesInput, takeMessages } from "./getMessages.js"
export { listAgents, type ListAgentsInput, reconcileAgents } from "./listAgents.js"
export { messageStatus, type MessageStatusInput } from "./messageStatus.js"
export { searchMessages, type SearchMessagesInput } from "./searchMessages.js"
export { sendMessage, type SendMessageInput } from "./sendMessage.js"
export { getThread, type GetThreadInput } from "./threads.js"

const now = Effect.map(Clock.currentTimeMillis, formatMillis)

const refuseIf = (field: string, problem: string | undefined) =>
  problem === undefined ? Effect.void : Effect.fail(new InvalidInput({ field, reason: problem }))

/** Arguments of `register_agent`, as decoded: text trimmed, "" where not given. */
const RegisterAgentArgs = Schema.Struct({
  pwd: Text,
  tmux_target: OptionalText,
  agent_id: OptionalText,
  session_id: OptionalText,
  agent_type: OptionalText,
  runtime: OptionalText,
  pane_id: OptionalText,
  profile: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  /** The runtime process the agent is (default: this server's parent; null: none, such as a person); not a tool argument. */
  pid: Schema.optional(Schema.NullOr(Schema.Number)),
  /**
   * Whether `agent_id` is only a fallback guess that the pane's existing identity may override; not a tool argument.
   */
  idIsFallback: Schema.optional(Schema.Boolean)
})

/** Arguments of `register_agent`. */
export type RegisterAgentInput = typeof RegisterAgentArgs.Encoded

const decodeRegisterAgent = decodeInput(RegisterAgentArgs)

/**
 * Registers an agent (`agent_id`, else HELIOY_AGENT_ID, else a canonical id) and creates its inbox; fails with
 * InvalidInput (id, pane id, tmux target or profile unusable: checked before anything is written), RegistryUnavailable
 * or MailboxUnavailable.
 */
export const registerAgent = Effect.fn("bus.registerAgent")(function*(given: RegisterAgentInput) {
  const input = yield* decodeRegisterAgent(given)
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const identity = yield* Identity
  const processes = yield* Processes
  const tmux = yield* Tmux
  const hints = yield* SessionEnv
  if (input.pwd === "") {
    return yield* new InvalidInput({ field: "pwd", reason: "required: the agent's working directory" })
  }
  const caller = yield* identity.resolve
  const explicitId = input.agent_id !== "" ? input.agent_id : caller.source === "env" ? caller.agentId : ""
  // Everything is checked before anything is written: a refused registration leaves no row and no inbox.
  const checked = explicitId === "" ? undefined : yield* agentIdArgument("agent_id", explicitId)
  const explicit = input.idIsFallback === true ? undefined : checked
  const paneId = input.pane_id
  const tmuxTarget = input.tmux_target
  yield* refuseIf("pane_id", paneId === "" ? undefined : paneIdProblem(paneId))
  yield* refuseIf("tmux_target", tmuxTarget === "" ? undefined : tmuxTargetProblem(tmuxTarget))
  yield* refuseIf("profile", input.profile ? profileProblem(input.profile) : undefined)
  if (explicit !== undefined) yield* mailbox.ensureInbox(explicit)
  const livePanes = paneId === ""
    ? Option.none<ReadonlySet<string>>()
    : yield* tmux.listPanes.pipe(
      Effect.map((panes) => Option.some<ReadonlySet<string>>(new Set(panes.map((pane) => pane.paneId)))),
      Effect.orElseSucceed(() => Option.none<ReadonlySet<string>>())
    )
  const row = yield* registry.register(
    {
      explicitId: explicit,
      cwd: input.pwd,
      tmuxTarget,
      paneId,
      pid: input.pid === undefined ? Option.getOrNull(yield* processes.parentOf(processes.self)) : input.pid,
      sessionId: input.session_id || hints.sessionId,
      agentType: input.agent_type || "general",
      runtime: input.runtime || hints.runtime || "claude",
      profile: input.profile ? JSON.stringify(input.profile) : null,
      host: (yield* BusConfig).host
    },
    livePanes,
    yield* now
  )
  const agentId = yield* agentIdArgument("agent_id", row.agent_id)
  yield* mailbox.ensureInbox(agentId)
  yield* identity.remember(agentId)
  return { agent_id: row.agent_id, registered_at: row.registered_at }
})

/** Removes an agent's registration (the caller by default); its inbox is kept. */
export const unregisterAgent = Effect.fn("bus.unregisterAgent")(function*(agentId: string | undefined) {
  const id = yield* callerId("agent_id", agentId)
  const registry = yield* Registry
  const identity = yield* Identity
  const existed = yield* registry.unregister(id)
  yield* identity.forget(id)
  return { unregistered: id, existed }
})

/** Records that an agent is alive; fails with NotRegistered for an unknown agent. */
export const heartbeat = Effect.fn("bus.heartbeat")(function*(agentId: string | undefined) {
  const id = yield* callerId("agent_id", agentId)
  const registry = yield* Registry
  const lastSeen = yield* now
  if (!(yield* registry.heartbeat(id, lastSeen))) return yield* new NotRegistered({ agentId: id })
  return { agent_id: id, last_seen: lastSeen }
})

/** The caller's own registration; fails with NotRegistered (naming the resolved id) when it has none. */
export const whoami = Effect.fn("bus.whoami")(function*() {
  const identity = yield* Identity
  const registry = yield* Registry
  const resolved = yield* identity.resolve
  const row = yield* registry.get(resolved.agentId)
  if (Option.isNone(row)) return yield* new NotRegistered({ agentId: resolved.agentId })
  const view = agentView(row.value)
  return {
    agent_id: view.agent_id,
    agent_type: view.agent_type,
    runtime: view.runtime,
    tmux_target: view.tmux_target,
    cwd: view.cwd,
    session_id: view.session_id,
    registered_at: view.registered_at,
    token_usage: view.token_usage,
    identity_source: resolved.source
  }
})
