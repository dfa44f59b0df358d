/** The errors of warroom requests: names, layouts, members, tmux sessions, repositories. */
import { Schema } from "effect"
import { invalidLayoutText, invalidNameText, maxMembers } from "../domain/Warroom.js"

/** A warroom name that breaks the naming rule. */
export class InvalidWarroomName extends Schema.TaggedError<InvalidWarroomName>()("InvalidWarroomName", {
  name: Schema.String
}) {
  override get message() {
    return `${invalidNameText} Got '${this.name}'.`
  }
}

/** No members, or more than a warroom holds. */
export class InvalidAgentCount extends Schema.TaggedError<InvalidAgentCount>()("InvalidAgentCount", {
  count: Schema.Number
}) {
  override get message() {
    return this.count === 0
      ? "At least one agent type is required."
      : `Maximum ${maxMembers} agents per warroom. Got ${this.count}; split them across several warrooms.`
  }
}

/** A layout tmux warrooms do not use. */
export class InvalidLayout extends Schema.TaggedError<InvalidLayout>()("InvalidLayout", {
  layout: Schema.String
}) {
  override get message() {
    return `${invalidLayoutText} (got '${this.layout}').`
  }
}

/** A member that cannot be launched as given (unknown runtime, no command, bad directory or variable). */
export class InvalidMember extends Schema.TaggedError<InvalidMember>()("InvalidMember", {
  role: Schema.String,
  runtime: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Cannot launch '${this.role}' on runtime '${this.runtime}': ${this.reason}`
  }
}

/** No active warroom of that name. */
export class WarroomNotFound extends Schema.TaggedError<WarroomNotFound>()("WarroomNotFound", {
  warroomId: Schema.String,
  active: Schema.Array(Schema.String)
}) {
  override get message() {
    const known = this.active.length === 0
      ? "No warroom is active; spawn one with warroom_spawn."
      : `Active warrooms: ${this.active.join(", ")}.`
    return `No active warroom '${this.warroomId}'. ${known}`
  }
}

const MemberSummary = Schema.Struct({
  warroom_member_id: Schema.String,
  desired_role: Schema.String,
  tmux_target: Schema.String,
  desired_repo: Schema.NullOr(Schema.String)
})

const describeMembers = (members: ReadonlyArray<typeof MemberSummary.Type>) =>
  members.map((m) => `${m.warroom_member_id} (${m.desired_role} at ${m.tmux_target})`).join(", ")

/** No member of a warroom has that id, or plays that role. */
export class MemberNotFound extends Schema.TaggedError<MemberNotFound>()("MemberNotFound", {
  warroomId: Schema.String,
  memberId: Schema.optional(Schema.String),
  role: Schema.optional(Schema.String),
  members: Schema.Array(MemberSummary)
}) {
  override get message() {
    const missing = this.memberId !== undefined
      ? `No member '${this.memberId}' in warroom '${this.warroomId}'.`
      : `No member with role '${this.role ?? ""}' in warroom '${this.warroomId}'.`
    return this.members.length === 0
      ? `${missing} It has no members.`
      : `${missing} Its members: ${describeMembers(this.members)}.`
  }
}

/** Several members play the role to remove. */
export class AmbiguousRole extends Schema.TaggedError<AmbiguousRole>()("AmbiguousRole", {
  warroomId: Schema.String,
  role: Schema.String,
  candidates: Schema.Array(MemberSummary)
}) {
  override get message() {
    return `Role '${this.role}' is ambiguous in warroom '${this.warroomId}'. ` +
      `Remove one by member_id: ${describeMembers(this.candidates)}.`
  }
}

/** Creating a warroom's panes failed; what was created was closed again and nothing was recorded. */
export class SpawnFailed extends Schema.TaggedError<SpawnFailed>()("SpawnFailed", {
  warroomId: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Spawn failed: ${this.reason}. The panes created for warroom '${this.warroomId}' were closed and nothing ` +
      "was recorded; check that tmux runs and that the session exists, then retry."
  }
}

/** tmux cannot be run, so which panes are alive is unknown. */
export class WarroomTmuxUnavailable extends Schema.TaggedError<WarroomTmuxUnavailable>()("WarroomTmuxUnavailable", {
  reason: Schema.String
}) {
  override get message() {
    return `cannot reach tmux: ${this.reason}`
  }
}

/** Why one requested agent cannot be spawned: unknown agent type (with suggestions) or unusable runtime. */
export const AgentProblem = Schema.Struct({
  agent: Schema.String,
  error: Schema.String,
  suggestions: Schema.Array(Schema.String)
})

/** Some requested agents cannot be resolved; nothing was spawned or saved. */
export class UnknownAgentTypes extends Schema.TaggedError<UnknownAgentTypes>()("UnknownAgentTypes", {
  details: Schema.Array(AgentProblem)
}) {
  override get message() {
    const lines = this.details.map((d) =>
      `'${d.agent}': ${d.error}${d.suggestions.length === 0 ? "" : ` (did you mean ${d.suggestions.join(", ")}?)`}`
    )
    return `Unknown agent types: ${
      lines.join("; ")
    }. Nothing was spawned; call warroom_discover to list the agent types.`
  }
}

/** The caller is not in a tmux pane (or its session cannot be found), so there is nowhere to open a warroom window. */
export class NotInTmux extends Schema.TaggedError<NotInTmux>()("NotInTmux", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** A directory a warroom needs (a member's cwd, the repos base) does not exist or is not a directory. */
export class MissingDirectory extends Schema.TaggedError<MissingDirectory>()("MissingDirectory", {
  path: Schema.String,
  what: Schema.String
}) {
  override get message() {
    return `${this.what} not found: ${this.path} is not an existing directory.`
  }
}

/** Repo mode found no git repository under its base directory. */
export class NoRepos extends Schema.TaggedError<NoRepos>()("NoRepos", {
  base: Schema.String
}) {
  override get message() {
    return `No git repos found under ${this.base}; set HELIOY_BASE to the directory holding your repositories.`
  }
}
