import { Either, Option } from "effect"
import { type AgentId, canonicalAgentId, validateAgentId, withIdSuffix } from "./AgentId.js"
import type { AgentRegistration, AgentRow, StoredAgentRow } from "./AgentRecord.js"

/** What one registration does to the registry: the row to upsert and the rows to delete first. */
export interface RegistrationPlan {
  readonly row: AgentRow
  readonly evicted: ReadonlyArray<string>
}

/** Whether a row is of `host` (a row without a host was written on this one: before hosts, or by a file bus). */
const onHost = (row: StoredAgentRow, host: string) => row.host === "" || host === "" || row.host === host

const latestInPane = (rows: ReadonlyArray<StoredAgentRow>, paneId: string): StoredAgentRow | undefined =>
  rows.filter((row) => row.pane_id === paneId).sort((a, b) => b.last_seen.localeCompare(a.last_seen))[0]

/**
 * Plans a registration under the reference's rules: a pane keeps its identity across restarts of the same
 * process or project (continuity); an id held by another live pane gets the `:<pane_id>` suffix, one held by a
 * dead pane is reclaimed (takeover); a pane holds at most one agent (eviction). Liveness unknown counts as alive.
 * Rows another version wrote under an id this one refuses can be evicted, never continued. Panes and tmux targets
 * are compared only between rows of one host (pane `%1` of another host is another pane).
 */
export const planRegistration = (
  registration: AgentRegistration,
  rows: ReadonlyArray<StoredAgentRow>,
  livePanes: Option.Option<ReadonlySet<string>>,
  now: string
): RegistrationPlan => {
  let agentId: AgentId | undefined = registration.explicitId
  let cwd = registration.cwd
  let agentType = registration.agentType
  const { host, paneId, tmuxTarget } = registration
  const local = rows.filter((row) => onHost(row, host))

  if (agentId === undefined && paneId !== "") {
    const prior = latestInPane(local, paneId)
    const priorId = prior ? Either.getOrUndefined(validateAgentId(prior.agent_id)) : undefined
    if (prior && priorId && (prior.cwd === cwd || (registration.pid !== null && prior.pid === registration.pid))) {
      agentId = priorId
      agentType = prior.agent_type
      cwd = prior.cwd
    }
  }
  agentId ??= canonicalAgentId(cwd, agentType, tmuxTarget)

  const evicted = new Set<string>()
  const holder = rows.find((row) => row.agent_id === agentId)
  if (registration.explicitId === undefined && holder !== undefined && !onHost(holder, host)) {
    // A derived id held on another host: that is another agent (same repo and tmux address on another machine).
    agentId = withIdSuffix(agentId, paneId !== "" ? paneId : host)
  } else if (paneId !== "") {
    const claimant = local.find((row) => row.agent_id === agentId && row.pane_id !== "" && row.pane_id !== paneId)
    if (claimant) {
      const alive = Option.match(livePanes, { onNone: () => true, onSome: (panes) => panes.has(claimant.pane_id) })
      if (alive) agentId = withIdSuffix(agentId, paneId)
      else local.filter((row) => row.pane_id === claimant.pane_id).forEach((row) => evicted.add(row.agent_id))
    }
  }
  for (const row of local) {
    if (row.agent_id === agentId) continue
    const samePane = paneId !== "" && row.pane_id === paneId
    const sameLegacyTarget = tmuxTarget !== "" && row.pane_id === "" && row.tmux_target === tmuxTarget
    if (samePane || sameLegacyTarget) evicted.add(row.agent_id)
  }
  evicted.delete(agentId)

  const existing = rows.find((row) => row.agent_id === agentId)
  return {
    evicted: [...evicted],
    row: {
      agent_id: agentId,
      cwd,
      tmux_target: tmuxTarget,
      pane_id: paneId,
      pid: registration.pid,
      session_id: registration.sessionId,
      agent_type: agentType,
      runtime: registration.runtime,
      profile: registration.profile,
      registered_at: now,
      last_seen: now,
      token_usage: existing?.token_usage ?? "{}",
      host
    }
  }
}
