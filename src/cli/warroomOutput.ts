/** What `helioy-warroom` prints: spawn summaries, the status table, kills, presets, and failures. */
import { printable } from "../domain/AgentIdSyntax.js"
import type { Preset } from "../domain/Preset.js"
import { repoOf } from "../domain/Warroom.js"
import type { statusMemberView, statusWarroomView } from "../domain/WarroomView.js"

/** A spawn as the programs return it (the fields printed). */
interface Spawned {
  readonly warroom_id: string
  readonly members: ReadonlyArray<{
    readonly agent_id: string
    readonly desired_role: string
    readonly desired_runtime: string
    readonly desired_repo: string | null
    readonly tmux_target: string
    readonly pane_id: string
  }>
}

const memberLines = (spawned: Spawned) =>
  spawned.members.map((m) => `  ${m.agent_id}  ${m.desired_runtime}  ${m.pane_id} ${m.tmux_target}`)

/** `<name> ready: N agents (roles) in <dir>`, then one line per member: agent id, runtime, pane. */
export const spawnSummary = (spawned: Spawned, cwd: string): string =>
  [
    `${spawned.warroom_id} ready: ${spawned.members.length} agents (${spawned.members.map((m) => m.desired_role).join(", ")}) in ${repoOf(cwd)}`,
    ...memberLines(spawned)
  ].join("\n")

/** Repo mode: `<window> ready: N agents (repo names)`, then one line per member. */
export const repoSummary = (spawned: Spawned): string =>
  [
    `${spawned.warroom_id} ready: ${spawned.members.length} agents (${spawned.members.map((m) => m.desired_repo ?? "?").join(", ")})`,
    ...memberLines(spawned)
  ].join("\n")

type MemberView = ReturnType<typeof statusMemberView>
type WarroomView = ReturnType<typeof statusWarroomView>

const columns = ["MEMBER", "ROLE", "RUNTIME", "PANE", "PANE STATE", "AGENT", "LAST HEARTBEAT"] as const

const row = (m: MemberView): ReadonlyArray<string> => [
  m.warroom_member_id,
  m.desired_role,
  m.desired_runtime,
  `${m.pane_id} ${m.tmux_target}`,
  m.pane_alive ? "alive" : "dead",
  m.registered ? `registered ${m.agent_instance_id ?? ""}` : "pending",
  m.last_seen ?? "-"
]

/** Left-aligned columns separated by two spaces; control and format characters (from rows written elsewhere) shown escaped. */
const table = (raw: ReadonlyArray<ReadonlyArray<string>>): string => {
  const rows = raw.map((cells) => cells.map(printable))
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)))
  return rows.map((cells) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}

/** Per warroom a `── id (window w, status) ──` header and a table of its members; a line saying so when there are none. */
export const statusTable = (views: ReadonlyArray<WarroomView>): string =>
  views.length === 0
    ? "no warroom agents running"
    : views.map((view) =>
      [
        printable(`── ${view.warroom_id} (window ${view.tmux_window}, ${view.status}, ${view.layout}, ${view.cwd}) ──`),
        view.members.length === 0 ? "  (no members)" : table([columns, ...view.members.map(row)]),
        ""
      ].join("\n")
    ).join("\n")

/** `killed <id>` per warroom (and `error <id>: ...` per window that could not be closed), or that there were none. */
export const killedLines = (killed: {
  readonly killed: ReadonlyArray<string>
  readonly errors: ReadonlyArray<{ readonly warroom_id: string; readonly error: string }>
}): string =>
  killed.killed.length === 0
    ? "no warroom windows found"
    : [...killed.killed.map((id) => `killed ${id}`), ...killed.errors.map((e) => `error ${e.warroom_id}: ${e.error}`)].join("\n")

/** One line per preset: name, agents, description and tags. */
export const presetLines = (presets: ReadonlyArray<Preset>): string =>
  presets.length === 0
    ? "no presets saved"
    : presets.map((p) =>
      `${p.name}: ${p.agents.join(" ")}${p.description === "" ? "" : ` — ${p.description}`}${p.tags.length === 0 ? "" : ` [${p.tags.join(", ")}]`}`
    ).join("\n")

/** A failure as printed on stderr: `error: <message>`, then `  unknown: <agent> (suggestions: ...)` per unresolved agent. */
export const failureText = (error: unknown): string => {
  const record = typeof error === "object" && error !== null ? error as Record<string, unknown> : {}
  const message = typeof record.message === "string" ? record.message : String(error)
  const details = Array.isArray(record.details) ? record.details as ReadonlyArray<{ agent: string; error: string; suggestions: ReadonlyArray<string> }> : []
  return [
    `error: ${message}`,
    ...details.map((d) => `  unknown: ${d.agent}${d.suggestions.length === 0 ? ` (${d.error})` : ` (suggestions: ${d.suggestions.join(", ")})`}`)
  ].join("\n")
}
