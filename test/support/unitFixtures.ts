import { AgentId } from "../../src/domain/AgentId.js"
import type { AgentRegistration, AgentRow } from "../../src/domain/AgentRecord.js"
import { Message } from "../../src/domain/Message.js"
import { MessageId } from "../../src/domain/MessageId.js"
import type { PaneInfo } from "../../src/services/Tmux.js"

/** A registration that lets the registry choose the id (continuity, then the canonical id). */
export const registration = (overrides: Partial<AgentRegistration> = {}): AgentRegistration => ({
  explicitId: undefined,
  cwd: "/work/proj",
  tmuxTarget: "",
  paneId: "",
  pid: null,
  sessionId: "",
  agentType: "general",
  runtime: "claude",
  profile: null,
  host: "",
  ...overrides
})

/** A registration under an explicit agent id. */
export const explicitRegistration = (agentId: string, overrides: Partial<AgentRegistration> = {}): AgentRegistration =>
  registration({ ...overrides, explicitId: AgentId.make(agentId) })

/** A stored agent row. */
export const agentRow = (agentId: string, overrides: Partial<AgentRow> = {}): AgentRow => ({
  agent_id: AgentId.make(agentId),
  cwd: "/work/proj",
  tmux_target: "",
  pane_id: "",
  pid: null,
  session_id: "",
  agent_type: "general",
  runtime: "claude",
  profile: null,
  registered_at: "2026-03-16T12:00:00.000000+00:00",
  last_seen: "2026-03-16T12:00:00.000000+00:00",
  token_usage: "{}",
  host: "",
  ...overrides
})

/** A message as a sender would deliver it. */
export const message = (
  fields:
    & { readonly from: string; readonly to: string; readonly sentAt: string }
    & Partial<{
      readonly id: string
      readonly topic: string | null
      readonly content: string
      readonly replyTo: string
    }>
): Message =>
  new Message({
    id: MessageId.make(fields.id ?? crypto.randomUUID()),
    from: fields.from,
    to: fields.to,
    reply_to: fields.replyTo ?? fields.from,
    topic: fields.topic ?? null,
    content: fields.content ?? "hello",
    sent_at: fields.sentAt
  })

/** A live tmux pane running `claude`, not in a mode. */
export const pane = (paneId: string, target: string, overrides: Partial<PaneInfo> = {}): PaneInfo => ({
  paneId,
  target,
  title: "",
  inMode: false,
  dead: false,
  command: "claude",
  ...overrides
})

/** An agent id for a test, validated (throws for an id the bus refuses). */
export const id = (text: string): AgentId => AgentId.make(text)
