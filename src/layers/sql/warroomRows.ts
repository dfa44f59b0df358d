/** The rows every warroom store (SQLite, PostgreSQL, memory) writes for a new warroom and a new member. */
import type { WarroomMemberRow, WarroomRow } from "../../domain/Warroom.js"
import type { NewMember, NewWarroom } from "../../services/Warrooms.js"

/** The `warrooms` row of a new warroom (status `active`); never fails. */
export const warroomRow = (warroom: NewWarroom, now: string): WarroomRow => ({
  warroom_id: warroom.warroomId,
  tmux_session: warroom.tmuxSession,
  tmux_window: warroom.tmuxWindow,
  cwd: warroom.cwd,
  layout: warroom.layout,
  runtime_policy: warroom.runtimePolicy,
  metadata: warroom.metadata,
  created_at: now,
  status: "active"
})

/** The `warroom_members` row of a new member (state `pending`, no agent yet); never fails. */
export const memberRow = (warroomId: string, memberId: string, member: NewMember, now: string): WarroomMemberRow => ({
  warroom_member_id: memberId,
  warroom_id: warroomId,
  desired_runtime: member.desiredRuntime,
  desired_role: member.desiredRole,
  desired_repo: member.desiredRepo,
  state: "pending",
  agent_instance_id: null,
  spawn_order: member.spawnOrder,
  tmux_target: member.tmuxTarget,
  pane_id: member.paneId,
  created_at: now,
  updated_at: now
})
