/** Warroom status: which member panes live, which agents registered, reaping what died. */
import { Effect, Option } from "effect"
import type { AgentId } from "../../domain/AgentId.js"
import type { WarroomMemberRow } from "../../domain/Warroom.js"
import { statusMemberView, statusWarroomView } from "../../domain/WarroomView.js"
import { WarroomNotFound } from "../../errors/warroom.js"
import { Registry } from "../../services/Registry.js"
import { Warrooms } from "../../services/Warrooms.js"
import { activeIds, livePanes, memberAgentRows, now, sightMember } from "./members.js"

/**
 * `warroom_status`: the named warroom (any status) or every active one. One tmux listing says which member panes
 * are alive; the registry says which agents registered from them. Members' records follow (agent, state, address),
 * registry rows of dead members are reaped, and a warroom with no live pane is closed (and, unless named, not listed).
 */
export const status = Effect.fn("warroom.status")(function*(name?: string) {
  const warrooms = yield* Warrooms
  const registry = yield* Registry
  const wanted = name?.trim() ?? ""
  const targets = wanted === ""
    ? yield* warrooms.listActive
    : Option.toArray(yield* warrooms.get(wanted))
  if (wanted !== "" && targets.length === 0) {
    return yield* new WarroomNotFound({ warroomId: wanted, active: yield* activeIds })
  }
  if (targets.length === 0) return []
  const live = yield* livePanes
  const agents = yield* registry.list
  const at = yield* now
  const reaped: Array<AgentId> = []
  const views = []
  for (const warroom of targets) {
    const members = []
    for (const member of warroom.members) {
      const { agent, pane } = sightMember(member, live, agents)
      if (pane === undefined) {
        const gone = memberAgentRows(agents, [member]).filter((row) => row.pane_id !== "" && !live.has(row.pane_id))
        reaped.push(...gone.map((row) => row.agent_id))
      }
      const seen = { agentInstanceId: agent?.agent_id ?? null, tmuxTarget: pane?.target ?? member.tmux_target }
      const changed = yield* warrooms.setMemberAgent(member.warroom_member_id, seen, at)
      const current: WarroomMemberRow = {
        ...member,
        agent_instance_id: seen.agentInstanceId,
        state: seen.agentInstanceId === null ? "pending" : "active",
        tmux_target: seen.tmuxTarget,
        updated_at: changed ? at : member.updated_at
      }
      members.push(statusMemberView({ member: current, paneAlive: pane !== undefined, agent }))
    }
    const closed = warroom.status === "active" && members.every((m) => !m.pane_alive)
    if (closed) yield* warrooms.close(warroom.warroom_id)
    if (!closed || wanted !== "") {
      views.push(statusWarroomView({ ...warroom, status: closed ? "killed" : warroom.status }, members))
    }
  }
  yield* registry.remove([...new Set(reaped)])
  return views
})
