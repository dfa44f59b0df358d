import { Effect, Either, Random, Schema } from "effect"

/**
 * A row of the `warrooms` table as SQLite returns it; `tmux_window` is the window's name, its id `@N` is in `metadata`.
 */
export const WarroomRow = Schema.Struct({
  warroom_id: Schema.String,
  tmux_session: Schema.String,
  tmux_window: Schema.String,
  cwd: Schema.String,
  layout: Schema.String,
  runtime_policy: Schema.NullOr(Schema.String),
  metadata: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  status: Schema.Literal("active", "killed")
})

/** A stored warroom. */
export type WarroomRow = typeof WarroomRow.Type

/** A row of the `warroom_members` table as SQLite returns it. */
export const WarroomMemberRow = Schema.Struct({
  warroom_member_id: Schema.String,
  warroom_id: Schema.String,
  desired_runtime: Schema.String,
  desired_role: Schema.String,
  desired_repo: Schema.NullOr(Schema.String),
  state: Schema.Literal("pending", "active"),
  agent_instance_id: Schema.NullOr(Schema.String),
  spawn_order: Schema.Number,
  tmux_target: Schema.String,
  pane_id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String
})

/** A stored warroom member. */
export type WarroomMemberRow = typeof WarroomMemberRow.Type

/** A warroom with its members in spawn order. */
export interface Warroom extends WarroomRow {
  readonly members: ReadonlyArray<WarroomMemberRow>
}

/** The tmux layouts a warroom may use. */
export const validLayouts = ["tiled", "even-horizontal", "even-vertical", "main-horizontal", "main-vertical"] as const

/** The most members one warroom may have. */
export const maxMembers = 8

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,29}$/

/** The reference's error for a bad warroom name. */
export const invalidNameText = "Name must be 1-30 chars, alphanumeric and hyphens, starting with alphanumeric."

/** The reference's error for a bad layout. */
export const invalidLayoutText = `Invalid layout. Choose from: ${[...validLayouts].sort().join(", ")}`

/** Whether a warroom name follows the reference's rule (also what makes it safe as a tmux window name). */
export const isValidWarroomName = (name: string): boolean => namePattern.test(name)

/** Whether a layout is one a warroom may use. */
export const isValidLayout = (layout: string): boolean => (validLayouts as ReadonlyArray<string>).includes(layout)

/** The guidance returned by spawns on how to talk to members. */
export const messagingInstruction =
  "Send messages to warroom members individually by agent_id. Use nudge_message with individual agent_ids for transient tmux only prompts. Never use to:'*' or reply_to:'*' as these broadcast to every agent on the bus, not just this warroom. Use warroom_status to discover agent_ids once members register."

const unsafe = /[/\\;\s\u0000-\u001f\u007f]/g

/** The basename of a directory (`unknown` when empty), as used in agent ids and pane titles. */
export const repoOf = (cwd: string): string => {
  const trimmed = cwd.replace(/\/+$/, "")
  const base = trimmed.slice(trimmed.lastIndexOf("/") + 1).replace(unsafe, "-").replace(/^\.+/, "")
  return base === "" ? "unknown" : base
}

/**
 * The HELIOY_AGENT_ID given to a member's pane: `{repo}:{role}:{warroom}.{spawn_order}`. It does not depend on tmux
 * addresses, so it survives panes moving; respawning a warroom of the same name and roles gives the same ids back.
 */
export const memberAgentId = (cwd: string, role: string, warroomId: string, spawnOrder: number): string =>
  `${repoOf(cwd)}:${role.replace(unsafe, "-")}:${warroomId}.${spawnOrder}`

/** The conventional pane title `{repo}:{role}:{session}:{window}.{pane}` (the target is the pane's address). */
export const paneTitle = (cwd: string, role: string, tmuxTarget: string): string =>
  `${repoOf(cwd)}:${role}:${tmuxTarget}`

/** The short name of a role (the part after its last `:`). */
export const shortRole = (role: string): string => role.slice(role.lastIndexOf(":") + 1)

/**
 * Whether a member plays `role`: a qualified role (with `:`) must match exactly, a short one matches the short name.
 */
export const playsRole = (member: WarroomMemberRow, role: string): boolean =>
  role.includes(":") ? member.desired_role === role : shortRole(member.desired_role) === role

const Metadata = Schema.parseJson(Schema.Struct({ window_id: Schema.optional(Schema.String) }))

/** The `metadata` JSON of a warroom created here: the tmux window id. */
export const encodeMetadata = (windowId: string): string => JSON.stringify({ window_id: windowId })

/** The tmux window id `@N` recorded in a warroom's metadata, if any (reference rows have none). */
export const windowIdOf = (warroom: WarroomRow): string | undefined =>
  warroom.metadata === null
    ? undefined
    : Either.getOrUndefined(Schema.decodeUnknownEither(Metadata)(warroom.metadata))?.window_id

const hex4 = Random.nextIntBetween(0, 0x10000)

/** A new member id: 16 lowercase hex digits (from Effect's Random). */
export const newMemberId: Effect.Effect<string> = Effect.map(
  Effect.all([hex4, hex4, hex4, hex4]),
  (parts) => parts.map((part) => part.toString(16).padStart(4, "0")).join("")
)
