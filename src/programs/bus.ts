import { Clock, Config, Effect, Either, Option } from "effect"
import { type AddressPart, parseAddress } from "../domain/Address.js"
import { type AgentId, validateAgentId } from "../domain/AgentId.js"
import { type AgentRow, agentView } from "../domain/AgentRecord.js"
import { InvalidInput, MessageTooLarge, NotRegistered, RecipientNotFound } from "../domain/errors.js"
import { Message } from "../domain/Message.js"
import { formatMillis } from "../domain/Timestamp.js"
import { BusConfig } from "../services/BusConfig.js"
import { Identity } from "../services/Identity.js"
import { Mailbox } from "../services/Mailbox.js"
import { Nudge } from "../services/Nudge.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { Runtimes } from "../services/Runtimes.js"
import { Tmux } from "../services/Tmux.js"
import { recordSenderWakes, wakeView } from "./wakeRecords.js"

const agentIdArgument = (field: string, raw: string) =>
  Either.match(validateAgentId(raw.trim()), {
    onLeft: (reason) => Effect.fail(new InvalidInput({ field, reason })),
    onRight: Effect.succeed
  })

const now = Effect.map(Clock.currentTimeMillis, formatMillis)

const envOr = (name: string, fallback: string) =>
  Config.string(name).pipe(Config.withDefault(fallback), Effect.orElseSucceed(() => fallback))

/** The caller's id: `given` when non-empty (validated), else the resolved identity; fails with InvalidInput for a malformed id. */
export const callerId = (field: string, given: string | undefined) =>
  given !== undefined && given.trim() !== ""
    ? agentIdArgument(field, given)
    : Effect.flatMap(Identity, (identity) => Effect.map(identity.resolve, (resolved) => resolved.agentId as AgentId))

/** Arguments of `register_agent`. */
export interface RegisterAgentInput {
  readonly pwd: string
  readonly tmux_target?: string | undefined
  readonly agent_id?: string | undefined
  readonly session_id?: string | undefined
  readonly agent_type?: string | undefined
  readonly runtime?: string | undefined
  readonly pane_id?: string | undefined
  readonly profile?: Record<string, unknown> | null | undefined
  /** The runtime process the agent is (default: this server's parent); not a tool argument. */
  readonly pid?: number | undefined
  /** Whether `agent_id` is only a fallback guess that the pane's existing identity may override; not a tool argument. */
  readonly idIsFallback?: boolean | undefined
}

/** Registers an agent (`agent_id`, else HELIOY_AGENT_ID, else a canonical id) and creates its inbox; fails with InvalidInput or RegistryUnavailable. */
export const registerAgent = Effect.fn("bus.registerAgent")(function*(input: RegisterAgentInput) {
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const identity = yield* Identity
  const processes = yield* Processes
  const tmux = yield* Tmux
  if (input.pwd.trim() === "") {
    return yield* new InvalidInput({ field: "pwd", reason: "required: the agent's working directory" })
  }
  const givenId = input.agent_id?.trim() ?? ""
  const caller = yield* identity.resolve
  const explicitId = givenId !== "" ? givenId : caller.source === "env" ? caller.agentId : ""
  if (explicitId !== "") yield* agentIdArgument("agent_id", explicitId)
  const paneId = input.pane_id?.trim() ?? ""
  const livePanes = paneId === ""
    ? Option.none<ReadonlySet<string>>()
    : yield* tmux.listPanes.pipe(
      Effect.map((panes) => Option.some<ReadonlySet<string>>(new Set(panes.map((pane) => pane.paneId)))),
      Effect.orElseSucceed(() => Option.none<ReadonlySet<string>>())
    )
  const row = yield* registry.register(
    {
      agentId: explicitId,
      idIsExplicit: explicitId !== "" && input.idIsFallback !== true,
      cwd: input.pwd,
      tmuxTarget: input.tmux_target?.trim() ?? "",
      paneId,
      pid: input.pid ?? Option.getOrNull(yield* processes.parentOf(processes.self)),
      sessionId: input.session_id || (yield* envOr("HELIOY_SESSION_ID", "")),
      agentType: input.agent_type?.trim() || "general",
      runtime: input.runtime?.trim() || (yield* envOr("HELIOY_RUNTIME", "claude")),
      profile: input.profile ? JSON.stringify(input.profile) : null
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

/** Arguments of `list_agents`. */
export interface ListAgentsInput {
  readonly tmux_filter?: string | undefined
  readonly cwd_basename?: string | undefined
}

const basename = (path: string) => {
  const trimmed = path.replace(/\/+$/, "")
  return trimmed.slice(trimmed.lastIndexOf("/") + 1)
}

/**
 * Reconciles the registry with what is alive (one tmux call: moved panes are readdressed, agents whose pane or
 * process is gone are dropped) and returns the agents, optionally filtered by tmux session[:window] and cwd basename.
 */
export const reconcileAgents = Effect.fn("bus.reconcileAgents")(function*() {
  const registry = yield* Registry
  const tmux = yield* Tmux
  const processes = yield* Processes
  const rows = yield* registry.list
  const needsTmux = rows.some((row) => row.pane_id !== "" || row.tmux_target !== "")
  const panes = needsTmux ? yield* Effect.option(tmux.listPanes) : Option.none()
  const byId = Option.map(panes, (list) => new Map(list.filter((pane) => !pane.dead).map((pane) => [pane.paneId, pane])))
  const targets = Option.map(panes, (list) => new Set(list.filter((pane) => !pane.dead).map((pane) => pane.target)))
  const dead: Array<string> = []
  const moves: Array<{ agentId: string; tmuxTarget: string }> = []
  const alive: Array<AgentRow> = []
  for (const row of rows) {
    if (row.pane_id !== "") {
      if (Option.isNone(byId)) {
        alive.push(row)
        continue
      }
      const pane = byId.value.get(row.pane_id)
      if (pane === undefined) {
        dead.push(row.agent_id)
        continue
      }
      if (pane.target !== row.tmux_target) {
        moves.push({ agentId: row.agent_id, tmuxTarget: pane.target })
        alive.push({ ...row, tmux_target: pane.target })
        continue
      }
      alive.push(row)
    } else if (row.tmux_target !== "") {
      if (Option.isSome(targets) && !targets.value.has(row.tmux_target)) dead.push(row.agent_id)
      else alive.push(row)
    } else if (row.pid !== null && !(yield* processes.isAlive(row.pid))) {
      dead.push(row.agent_id)
    } else {
      alive.push(row)
    }
  }
  yield* registry.readdress(moves)
  yield* registry.remove(dead)
  return alive
})

/** `list_agents`: the live agents, filtered; fails with RegistryUnavailable. */
export const listAgents = Effect.fn("bus.listAgents")(function*(input: ListAgentsInput) {
  const alive = yield* reconcileAgents()
  const filter = input.tmux_filter?.trim() ?? ""
  const prefix = filter === "" ? "" : filter.includes(":") ? `${filter}.` : `${filter}:`
  const cwdBase = input.cwd_basename?.trim() ? basename(input.cwd_basename.trim()) : ""
  return alive
    .filter((row) => prefix === "" || row.tmux_target.startsWith(prefix))
    .filter((row) => cwdBase === "" || basename(row.cwd) === cwdBase)
    .map(agentView)
})

/** Arguments of `send_message`. */
export interface SendMessageInput {
  readonly to: string
  readonly content: string
  readonly from_agent?: string | undefined
  readonly reply_to?: string | undefined
  readonly topic?: string | undefined
  readonly nudge?: boolean | undefined
}

const resolveRecipients = (
  to: string,
  parts: ReadonlyArray<AddressPart>,
  sender: string,
  rows: ReadonlyArray<AgentRow>
) => {
  const recipients = new Map<string, AgentRow>()
  const failed: Array<{ to: string; error: string }> = []
  for (const part of parts) {
    switch (part._tag) {
      case "Broadcast":
        rows.filter((row) => row.agent_id !== sender).forEach((row) => recipients.set(row.agent_id, row))
        break
      case "Role": {
        const matching = rows.filter((row) => row.agent_type === part.role && row.agent_id !== sender)
        if (matching.length === 0) failed.push({ to: part.raw, error: `No agents with role '${part.role}' found in registry` })
        matching.forEach((row) => recipients.set(row.agent_id, row))
        break
      }
      case "Agent": {
        const row = rows.find((candidate) => candidate.agent_id === part.agentId)
        if (row) recipients.set(row.agent_id, row)
        else failed.push({ to: part.raw, error: `Recipient '${part.raw}' not found in registry` })
        break
      }
      case "Invalid":
        failed.push({ to: part.raw, error: part.reason })
        break
    }
  }
  if (parts.length === 0) failed.push({ to, error: "Recipient address is empty" })
  else if (recipients.size === 0 && failed.length === 0) {
    failed.push({ to, error: "No other agents are registered to receive a broadcast" })
  }
  return { recipients: [...recipients.values()], failed }
}

/**
 * Sends one message to every recipient of `to` (agent ids, `role:<type>`, `*`, `;`-separated; roles and `*` reach
 * live agents only), atomically per inbox, then nudges idle recipients; fails when nothing could be delivered
 * (unknown recipients, content empty or too large, inbox full, disk errors).
 */
export const sendMessage = Effect.fn("bus.sendMessage")(function*(input: SendMessageInput) {
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const nudge = yield* Nudge
  const runtimes = yield* Runtimes
  const config = yield* BusConfig
  if (input.content === "") return yield* new InvalidInput({ field: "content", reason: "must not be empty" })
  const bytes = Buffer.byteLength(input.content, "utf8")
  if (bytes > config.maxMessageBytes) return yield* new MessageTooLarge({ bytes, limit: config.maxMessageBytes })
  const sender = yield* callerId("from_agent", input.from_agent)
  const parts = parseAddress(input.to)
  const fansOut = parts.some((part) => part._tag === "Broadcast" || part._tag === "Role")
  const rows = fansOut
    ? yield* reconcileAgents()
    : yield* Effect.forEach(
      parts.flatMap((part) => part._tag === "Agent" ? [part.agentId] : []),
      (agentId) => Effect.map(registry.get(agentId), Option.toArray)
    ).pipe(Effect.map((found) => found.flat()))
  const { failed, recipients } = resolveRecipients(input.to, parts, sender, rows)
  if (recipients.length === 0) {
    const known = fansOut ? rows : yield* registry.list
    return yield* new RecipientNotFound({ to: input.to, failures: failed, known: known.map((row) => row.agent_id) })
  }
  // A waiter counts only if it held the inbox before delivery: it then wakes for this message (and may exit before
  // the nudge below looks); one that starts after delivery takes the message for old mail and will not.
  const waiting = input.nudge === false
    ? new Set<string>()
    : new Set(yield* Effect.filter(recipients.map((row) => row.agent_id), (agentId) => mailbox.hasWaiter(agentId as AgentId)))
  const id = crypto.randomUUID()
  const sentAt = yield* mailbox.nextSentAt
  const replyTo = input.reply_to?.trim() || sender
  const topic = input.topic?.trim() || null
  const outcomes = yield* Effect.forEach(
    recipients,
    (row) =>
      mailbox.deliver(
        row.agent_id as AgentId,
        new Message({
          id,
          from: sender,
          to: row.agent_id,
          reply_to: replyTo,
          topic,
          content: input.content + Option.match(runtimes.get(row.runtime), { onNone: () => "", onSome: (adapter) => adapter.messageSuffix }),
          sent_at: sentAt
        })
      ).pipe(Effect.as(row), Effect.either),
    { concurrency: 16 }
  )
  const delivered = outcomes.flatMap((outcome) => Either.isRight(outcome) ? [outcome.right] : [])
  const deliveryFailures = outcomes.flatMap((outcome) => Either.isLeft(outcome) ? [outcome.left] : [])
  if (delivered.length === 0) return yield* Effect.fail(deliveryFailures[0]!)
  const nudges = input.nudge === false
    ? []
    : yield* Effect.forEach(delivered, (row) => nudge.wake(row, waiting.has(row.agent_id)), { concurrency: 16 })
  const wakes = nudges.map((outcome, index) => wakeView(delivered[index]!.agent_id, outcome))
  yield* recordSenderWakes(id, wakes)
  const allFailed = [
    ...failed,
    ...deliveryFailures.map((error) => ({ to: "agentId" in error ? error.agentId : input.to, error: error.message }))
  ]
  return {
    message_id: id,
    delivered: true,
    nudged: nudges.some((outcome) => outcome.nudged),
    recipients: delivered.map((row) => row.agent_id),
    ...(wakes.length > 0 ? { wakes } : {}),
    ...(allFailed.length > 0 ? { failed: allFailed } : {})
  }
})

/** Arguments of `get_messages`. */
export interface GetMessagesInput {
  readonly agent_id?: string | undefined
  readonly topic?: string | undefined
}

/**
 * Claims the unread messages of an agent (the caller by default), oldest first, and holds them until the caller
 * settles them: archived once handed to the reader, or unread again; others of another topic stay unread.
 */
export const takeMessages = Effect.fn("bus.takeMessages")(function*(input: GetMessagesInput) {
  const mailbox = yield* Mailbox
  const id = yield* callerId("agent_id", input.agent_id)
  const topic = input.topic?.trim() ? Option.some(input.topic.trim()) : Option.none()
  const taken = yield* mailbox.take(id, topic)
  for (const file of taken.quarantined) {
    yield* Effect.logWarning(`quarantined ${file.file} in the inbox of ${id}: ${file.reason}`)
  }
  return taken
})

/** Claims and returns the unread messages of an agent (the caller by default), oldest first; others of another topic stay unread. */
export const getMessages = Effect.fn("bus.getMessages")(function*(input: GetMessagesInput) {
  const taken = yield* takeMessages(input)
  yield* taken.settle(true)
  return { messages: taken.messages, quarantined: taken.quarantined }
})
