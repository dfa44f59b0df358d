/**
 * Warrooms: named teams of agent sessions, one tmux window each, one pane per member.
 *
 * Each member's pane execs its runtime directly (no shell, nothing typed into it) with HELIOY_AGENT_ID set to
 * `{repo}:{role}:{warroom}.{spawn_order}` (see `memberAgentId`), HELIOY_BUS_AGENT_TYPE, HELIOY_RUNTIME and
 * HELIOY_BUS_DIR (this bus), so its agent registers under an id that does not depend on tmux addresses.
 */
export { discover, type DiscoverQuery } from "./discover.js"
export { kill, type Killed, type KillTarget } from "./kill.js"
export type { MemberSpec } from "./panes.js"
export { type MemberSelector, remove } from "./remove.js"
export {
  addAgent,
  type AddRequest,
  killWarrooms,
  listPresets,
  removeAgent,
  type RepoSpawnRequest,
  savePreset,
  type SavePresetRequest,
  spawnRepos,
  type SpawnRequest,
  spawnTeam
} from "./requests.js"
export { type Caller, findCaller } from "./session.js"
export { add, spawn, type SpawnInput } from "./spawn.js"
export { status } from "./status.js"
export { type AgentRequest, parseAgentEntry, resolveAgents, splitAgents } from "./team.js"
