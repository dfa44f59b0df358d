/** What `helioy-warroom` prints: spawn summaries, the status table, kills, presets, and failures. */
import { printable } from "../domain/AgentIdSyntax.js"
import type { Preset } from "../domain/Preset.js"
import { repoOf } from "../domain/Warroom.js"
import type { statusMemberView, statusWarroomView } from "../domain/WarroomView.js"

/** A member as spawn and add return it (the fields printed). */
interface SpawnedMember {
  readonly agent_id: string
  readonly desired_role: string
  readonly desired_runtime: string
  readonly desired_repo: string | null
  readonly tmux_target: string
  readonly pane_id: string
  readonly state: string
}

/** What became of members that are not ready (the fields printed). */
interface Unready {
  readonly pending?: ReadonlyArray<{ readonly agent_id: string; readonly reason: string; readonly screen: string }>
  readonly failed?: ReadonlyArray<{ readonly agent_id: string; readonly reason: string; readonly last_lines: string }>
}

/** A spawn as the programs return it (the fields printed). */
interface Spawned extends Unready {
  readonly warroom_id: string
  readonly members: ReadonlyArray<SpawnedMember>
}

const memberLine = (m: SpawnedMember) =>
  `  ${m.agent_id}  ${m.desired_runtime}  ${m.pane_id} ${m.tmux_target}  ${m.state}`

const quoted = (text: string) => text === "" ? [] : text.split("\n").map((line) => `      | ${line}`)

/** A line per member that is not ready, with its reason and what its pane showed. */
const unreadyLines = (result: Unready) => [
  ...(result.pending ?? []).flatMap((p) => [`pending ${p.agent_id}: ${p.reason}`, ...quoted(p.screen)]),
  ...(result.failed ?? []).flatMap((f) => [`failed ${f.agent_id}: ${f.reason}`, ...quoted(f.last_lines)])
]

/** `ready: N agents` when all are, else `K of N agents ready`. */
const readyCount = (spawned: Spawned) => {
  const ready = spawned.members.filter((m) => m.state === "ready" || m.state === "started").length
  return ready === spawned.members.length
    ? `ready: ${ready} agents`
    : `${ready} of ${spawned.members.length} agents ready`
}

/**
 * `<name> ready: N agents (roles) in <dir>` (or `K of N agents ready`), one line per member, then why any is not ready.
 */
export const spawnSummary = (spawned: Spawned, cwd: string): string =>
  [
    `${spawned.warroom_id} ${readyCount(spawned)} (${spawned.members.map((m) => m.desired_role).join(", ")}) in ${
      repoOf(cwd)
    }`,
    ...spawned.members.map(memberLine),
    ...unreadyLines(spawned)
  ].join("\n")

/** Repo mode: `<window> ready: N agents (repo names)`, one line per member, then why any is not ready. */
export const repoSummary = (spawned: Spawned): string =>
  [
    `${spawned.warroom_id} ${readyCount(spawned)} (${spawned.members.map((m) => m.desired_repo ?? "?").join(", ")})`,
    ...spawned.members.map(memberLine),
    ...unreadyLines(spawned)
  ].join("\n")

/** `added <id> to <warroom> (<pane>); N members`, with the member's state, then why it is not ready. */
export const addSummary = (
  added: Unready & { readonly warroom_id: string; readonly added: SpawnedMember; readonly member_count: number }
): string =>
  [
    `added ${added.added.agent_id} to ${added.warroom_id} (${added.added.pane_id} ${added.added.tmux_target}, ${added.added.state}); ${added.member_count} members`,
    ...unreadyLines(added)
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

/**
 * Left-aligned columns separated by two spaces; control and format characters (from rows written elsewhere) shown
 * escaped.
 */
const table = (raw: ReadonlyArray<ReadonlyArray<string>>): string => {
  const rows = raw.map((cells) => cells.map(printable))
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)))
  return rows.map((cells) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}

/**
 * Per warroom a `── id (window w, status) ──` header and a table of its members; a line saying so when there are none.
 */
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
    : [...killed.killed.map((id) => `killed ${id}`), ...killed.errors.map((e) => `error ${e.warroom_id}: ${e.error}`)]
      .join("\n")

/** One line per preset: name, agents, description and tags. */
export const presetLines = (presets: ReadonlyArray<Preset>): string =>
  presets.length === 0
    ? "no presets saved"
    : presets.map((p) =>
      `${p.name}: ${p.agents.join(" ")}${p.description === "" ? "" : ` — ${p.description}`}${
        p.tags.length === 0 ? "" : ` [${p.tags.join(", ")}]`
      }`
    ).join("\n")

/**
 * A failure as printed on stderr: `error: <message>`, then `  unknown: <agent> (suggestions: ...)` per unresolved
 * agent.
 */
export const failureText = (error: unknown): string => {
  const record = typeof error === "object" && error !== null ? error as Record<string, unknown> : {}
  const message = typeof record.message === "string" ? record.message : String(error)
  const details = Array.isArray(record.details)
    ? record.details as ReadonlyArray<{ agent: string; error: string; suggestions: ReadonlyArray<string> }>
    : []
  return [
    `error: ${message}`,
    ...details.map((d) =>
      `  unknown: ${d.agent}${
        d.suggestions.length === 0 ? ` (${d.error})` : ` (suggestions: ${d.suggestions.join(", ")})`
      }`
    )
  ].join("\n")
}
