import type { AgentRow } from "./AgentRecord.js"
import { shortRole, type WarroomMemberRow, type WarroomRow } from "./Warroom.js"

/**
 * A member as spawn and add return it: the reference's pane dict and member tags, plus the id its agent will register
 * under.
 */
export const spawnedMemberView = (member: WarroomMemberRow, agentId: string) => ({
  agent_type: shortRole(member.desired_role),
  qualified_name: member.desired_role,
  tmux_target: member.tmux_target,
  pane_id: member.pane_id,
  runtime: member.desired_runtime,
  warroom_member_id: member.warroom_member_id,
  desired_role: member.desired_role,
  desired_runtime: member.desired_runtime,
  desired_repo: member.desired_repo,
  spawn_order: member.spawn_order,
  agent_id: agentId
})

/** What status found of one member: its pane's liveness and the agent registered from it. */
export interface MemberSighting {
  readonly member: WarroomMemberRow
  readonly paneAlive: boolean
  /** The registry row of the agent in the member's pane, when the pane is alive and an agent registered. */
  readonly agent: AgentRow | undefined
}

const parsedTokens = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A member as warroom_status returns it (the reference's keys, plus `last_seen`). */
export const statusMemberView = ({ agent, member, paneAlive }: MemberSighting) => ({
  warroom_member_id: member.warroom_member_id,
  desired_runtime: member.desired_runtime,
  desired_role: member.desired_role,
  desired_repo: member.desired_repo,
  state: member.state,
  agent_instance_id: member.agent_instance_id,
  spawn_order: member.spawn_order,
  agent_type: member.desired_role,
  tmux_target: member.tmux_target,
  pane_id: member.pane_id,
  registered: agent !== undefined,
  pane_alive: paneAlive,
  created_at: member.created_at,
  updated_at: member.updated_at,
  token_usage: agent === undefined ? null : parsedTokens(agent.token_usage),
  last_seen: agent?.last_seen ?? null
})

/** A warroom as warroom_status returns it, with its members' views. */
export const statusWarroomView = (
  warroom: WarroomRow,
  members: ReadonlyArray<ReturnType<typeof statusMemberView>>
) => ({
  warroom_id: warroom.warroom_id,
  tmux_session: warroom.tmux_session,
  tmux_window: warroom.tmux_window,
  cwd: warroom.cwd,
  layout: warroom.layout,
  runtime_policy: warroom.runtime_policy,
  metadata: warroom.metadata,
  status: warroom.status,
  created_at: warroom.created_at,
  members
})

/** Members as errors list them (which one to remove, where it is). */
export const memberSummaries = (members: ReadonlyArray<WarroomMemberRow>) =>
  members.map((m) => ({
    warroom_member_id: m.warroom_member_id,
    desired_role: m.desired_role,
    tmux_target: m.tmux_target,
    desired_repo: m.desired_repo
  }))
