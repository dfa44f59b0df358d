/** Removing one member from a warroom. */
import { Effect, Option } from "effect"
import { playsRole, type Warroom, type WarroomMemberRow } from "../../domain/Warroom.js"
import { memberSummaries } from "../../domain/WarroomView.js"
import { InvalidInput } from "../../errors/bus.js"
import { AmbiguousRole, MemberNotFound, WarroomNotFound } from "../../errors/warroom.js"
import { type PaneInfo, Tmux } from "../../services/Tmux.js"
import { Warrooms } from "../../services/Warrooms.js"
import { activeIds, forgetAgents, livePanes, now } from "./members.js"
import { titlePanes } from "./panes.js"

/** Which member to remove: by id, or by role (qualified, or the short name after the last `:`). */
export type MemberSelector = { readonly memberId: string } | { readonly role: string }

const selectMember = (warroom: Warroom, selector: MemberSelector) =>
  Effect.gen(function*() {
    const summaries = memberSummaries(warroom.members)
    if ("memberId" in selector) {
      const member = warroom.members.find((m) => m.warroom_member_id === selector.memberId)
      if (member) return member
      return yield* new MemberNotFound({
        warroomId: warroom.warroom_id,
        memberId: selector.memberId,
        members: summaries
      })
    }
    const matches = warroom.members.filter((m) => playsRole(m, selector.role))
    if (matches.length === 1) return matches[0]!
    return yield* matches.length === 0
      ? new MemberNotFound({ warroomId: warroom.warroom_id, role: selector.role, members: summaries })
      : new AmbiguousRole({ warroomId: warroom.warroom_id, role: selector.role, candidates: memberSummaries(matches) })
  })

/**
 * Retitles the panes of members whose address changed (`…:{old target}` becomes `…:{new target}`) and records the new
 * addresses.
 */
const readdressMembers = (members: ReadonlyArray<WarroomMemberRow>) =>
  Effect.gen(function*() {
    const tmux = yield* Tmux
    const warrooms = yield* Warrooms
    const live = yield* Effect.orElseSucceed(livePanes, () => new Map<string, PaneInfo>())
    const at = yield* now
    for (const member of members) {
      const pane = live.get(member.pane_id)
      if (pane === undefined || pane.target === member.tmux_target) continue
      if (pane.title.endsWith(`:${member.tmux_target}`)) {
        const title = `${pane.title.slice(0, -member.tmux_target.length)}${pane.target}`
        yield* titlePanes(tmux, [{ paneId: pane.paneId, title }])
      }
      yield* warrooms.setMemberAgent(member.warroom_member_id, {
        agentInstanceId: member.agent_instance_id,
        tmuxTarget: pane.target
      }, at)
    }
  })

/**
 * `warroom_remove`: kills the member's pane, forgets its agent's registration and its record; the last member's
 * removal closes the warroom, otherwise the stored layout is reapplied and moved panes are retitled.
 */
export const remove = Effect.fn("warroom.remove")(function*(name: string, selector: MemberSelector) {
  const tmux = yield* Tmux
  const warrooms = yield* Warrooms
  const given = "memberId" in selector ? selector.memberId : selector.role
  if (given.trim() === "") {
    return yield* new InvalidInput({ field: "agent", reason: "Provide either member_id or agent." })
  }
  const found = yield* warrooms.get(name)
  if (Option.isNone(found)) return yield* new WarroomNotFound({ warroomId: name, active: yield* activeIds })
  const warroom = found.value
  const member = yield* selectMember(warroom, selector)
  // The window is found through a pane that still lives: the removed one may be gone already.
  const others = warroom.members.filter((m) => m !== member)
  const window = yield* Effect.option(Effect.firstSuccessOf([member, ...others].map((m) => tmux.windowOf(m.pane_id))))
  yield* Effect.ignore(tmux.killPane(member.pane_id))
  yield* forgetAgents([member])
  const { closed, remaining } = yield* warrooms.removeMember(name, member.warroom_member_id)
  if (!closed && Option.isSome(window)) {
    yield* Effect.ignore(tmux.selectLayout(window.value, warroom.layout))
    yield* readdressMembers(others)
  }
  return {
    warroom_id: name,
    removed: { warroom_member_id: member.warroom_member_id, desired_role: member.desired_role },
    remaining_members: remaining,
    warroom_killed: closed
  }
})
