import { Schema } from "effect"

/** A row of the `agents` table as SQLite returns it. */
export const AgentRow = Schema.Struct({
  agent_id: Schema.String,
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
  token_usage: Schema.String
})

/** A registered agent, as stored. */
export type AgentRow = typeof AgentRow.Type

/** What a registration writes: the row less the columns the registry owns. */
export interface AgentRegistration {
  readonly agentId: string
  readonly idIsExplicit: boolean
  readonly cwd: string
  readonly tmuxTarget: string
  readonly paneId: string
  readonly pid: number | null
  readonly sessionId: string
  readonly agentType: string
  readonly runtime: string
  readonly profile: string | null
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
