/** What tmux and the registry say about warroom members: live panes, registered agents, and forgetting them. */
import { Clock, Effect } from "effect"
import type { AgentRow } from "../../domain/AgentRecord.js"
import { formatMillis } from "../../domain/Timestamp.js"
import type { WarroomMemberRow } from "../../domain/Warroom.js"
import { WarroomTmuxUnavailable } from "../../errors/warroom.js"
import { Registry } from "../../services/Registry.js"
import { type PaneInfo, Tmux } from "../../services/Tmux.js"
import { Warrooms } from "../../services/Warrooms.js"
import { livePanesById } from "./panes.js"

/** The current time as a reference timestamp. */
export const now = Effect.map(Clock.currentTimeMillis, formatMillis)

/** The names of the active warrooms (for errors that list them). */
export const activeIds = Effect.flatMap(
  Warrooms,
  (warrooms) => Effect.map(warrooms.listActive, (list) => list.map((warroom) => warroom.warroom_id))
)

/** Live panes by id; tmux that cannot be run fails with WarroomTmuxUnavailable (no server at all means no panes). */
export const livePanes = Effect.flatMap(Tmux, (tmux) =>
  tmux.listPanes.pipe(
    Effect.map(livePanesById),
    Effect.mapError((error) => new WarroomTmuxUnavailable({ reason: error.reason }))
  ))

/** The registry rows of members: those registered from their panes or recorded as their agents. */
export const memberAgentRows = (rows: ReadonlyArray<AgentRow>, members: ReadonlyArray<WarroomMemberRow>) => {
  const panes = new Set(members.map((m) => m.pane_id).filter((pane) => pane !== ""))
  const ids = new Set(members.flatMap((m) => m.agent_instance_id === null ? [] : [m.agent_instance_id]))
  return rows.filter((row) => (row.pane_id !== "" && panes.has(row.pane_id)) || ids.has(row.agent_id))
}

/**
 * A member's live pane (by id; by address for a reference-made member without one) and the latest agent registered from
 * it.
 */
export const sightMember = (
  member: WarroomMemberRow,
  live: ReadonlyMap<string, PaneInfo>,
  agents: ReadonlyArray<AgentRow>
) => {
  const legacy = member.pane_id === ""
  const pane = legacy ? [...live.values()].find((p) => p.target === member.tmux_target) : live.get(member.pane_id)
  const agent = pane === undefined ? undefined : agents
    .filter((row) =>
      legacy ? row.pane_id === "" && row.tmux_target === member.tmux_target : row.pane_id === member.pane_id
    )
    .sort((a, b) => b.last_seen.localeCompare(a.last_seen))[0]
  return { pane, agent }
}

/** Deletes the registry rows of members (their agents are gone with their panes). */
export const forgetAgents = (members: ReadonlyArray<WarroomMemberRow>) =>
  Effect.gen(function*() {
    const registry = yield* Registry
    const rows = memberAgentRows(yield* registry.list, members)
    yield* registry.remove(rows.map((row) => row.agent_id))
  })
