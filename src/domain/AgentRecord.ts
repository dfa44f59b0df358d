import { Schema } from "effect"
import { AgentId } from "./AgentId.js"

const storedColumns = {
  cwd: Schema.String,
  tmux_target: Schema.String,
  pane_id: Schema.String,
  pid: Schema.NullOr(Schema.Number),
  session_id: Schema.String,
  agent_type: Schema.String,
  runtime: Schema.String,
  profile: Schema.NullOr(Schema.String),
  registered_at: Schema.String,
  last_seen: Schema.String,
  token_usage: Schema.String,
  /** The host the agent runs on (`HELIOY_HOST`); "" in rows written before hosts were recorded (this host's). */
  host: Schema.optionalWith(Schema.String, { default: () => "" })
}

/**
 * A row of the `agents` table as SQLite returns it, whichever version wrote it: its id may break this version's rules.
 */
export const StoredAgentRow = Schema.Struct({ agent_id: Schema.String, ...storedColumns })

/** A row as any version stored it. */
export type StoredAgentRow = typeof StoredAgentRow.Type

/** A registered agent whose id this version accepts (the only rows the registry hands out). */
export const AgentRow = Schema.Struct({ agent_id: AgentId, ...storedColumns })

/** A registered agent with a valid id. */
export type AgentRow = typeof AgentRow.Type

/** What a registration writes: the row less the columns the registry owns. */
export interface AgentRegistration {
  /** The id asked for; undefined lets the registry choose (continuity, then the canonical id). */
  readonly explicitId: AgentId | undefined
  readonly cwd: string
  readonly tmuxTarget: string
  readonly paneId: string
  readonly pid: number | null
  readonly sessionId: string
  readonly agentType: string
  readonly runtime: string
  readonly profile: string | null
  /** The host the agent runs on (`HELIOY_HOST`, default the hostname). */
  readonly host: string
}

const parseJsonOr = (text: string | null): unknown => {
  if (text === null || text === "") return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** An agent row as tools return it: `profile` and `token_usage` parsed from JSON when they hold valid JSON. */
export const agentView = (row: AgentRow) => ({
  ...row,
  profile: parseJsonOr(row.profile),
  token_usage: parseJsonOr(row.token_usage)
})
