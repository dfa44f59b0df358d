/**
 * Spawning a warroom and adding members to it: checks first, then panes, then records; failures close what was opened.
 */
import { Effect, Option, Ref } from "effect"
import {
  encodeMetadata,
  isValidLayout,
  isValidWarroomName,
  maxMembers,
  messagingInstruction,
  newMemberId,
  windowIdOf
} from "../../domain/Warroom.js"
import { spawnedMemberView } from "../../domain/WarroomView.js"
import { InvalidInput } from "../../errors/bus.js"
import type { TmuxError } from "../../errors/tmux.js"
import {
  InvalidAgentCount,
  InvalidLayout,
  InvalidWarroomName,
  SpawnFailed,
  WarroomNotFound
} from "../../errors/warroom.js"
import { BusDir } from "../../services/BusDir.js"
import { Runtimes } from "../../services/Runtimes.js"
import { Tmux, type TmuxShape } from "../../services/Tmux.js"
import { Warrooms } from "../../services/Warrooms.js"
import { kill } from "./kill.js"
import { checkLaunchable } from "./launchable.js"
import { activeIds, livePanes, now } from "./members.js"
import {
  checkMember,
  closingOnFailure,
  livePanesById,
  memberLaunch,
  type MemberSpec,
  memberTitle,
  titlePanes,
  tmuxFailureText
} from "./panes.js"
import { memberState, readinessView, type ReadinessWait, watchReadiness } from "./ready.js"

/** Arguments of a spawn: the team, in spawn order, and where its window opens. */
export interface SpawnInput {
  readonly name: string
  readonly members: ReadonlyArray<MemberSpec>
  /** The warroom's directory (absolute). */
  readonly cwd: string
  readonly layout: string
  /** The tmux session (name or `$N`) that gets the window. */
  readonly session: string
  /** How long to wait for the members to be ready, and whether to keep dead panes; no waiting when absent. */
  readonly readiness?: ReadinessWait | undefined
}

/**
 * The first member's command, held until the window's options are set: it waits on a tmux channel, then execs the
 * command (the same process, so its exit status is the command's). The command is passed as positional parameters,
 * never parsed by the shell.
 */
const heldUntil = (
  channel: string,
  command: ReadonlyArray<string>
): ReadonlyArray<string> => ["/bin/sh", "-c", "tmux wait-for \"$0\"; exec \"$@\"", channel, ...command]

const spawnFailed = (warroomId: string) => (error: TmuxError) =>
  Effect.fail(new SpawnFailed({ warroomId, reason: tmuxFailureText(error) }))

const validateSpawn = (input: SpawnInput) =>
  Effect.gen(function*() {
    const runtimes = yield* Runtimes
    if (!isValidWarroomName(input.name)) return yield* new InvalidWarroomName({ name: input.name })
    if (input.members.length === 0 || input.members.length > maxMembers) {
      return yield* new InvalidAgentCount({ count: input.members.length })
    }
    if (!isValidLayout(input.layout)) return yield* new InvalidLayout({ layout: input.layout })
    if (input.session.trim() === "") {
      return yield* new InvalidInput({
        field: "session",
        reason: "Not inside a tmux session. Warroom spawn requires tmux."
      })
    }
    if (!input.cwd.startsWith("/")) {
      return yield* new InvalidInput({ field: "cwd", reason: `'${input.cwd}' is not an absolute path` })
    }
    const { root } = yield* BusDir
    yield* Effect.forEach(input.members, (member) => checkMember(runtimes, member), { discard: true })
    const launches = yield* Effect.forEach(input.members, (member, order) =>
      memberLaunch(member, input.name, order, root))
    yield* Effect.forEach(input.members, checkLaunchable, { discard: true })
    return launches
  })

/**
 * Closes what a spawn killed part-way (after opening its window, before recording the warroom) left behind: windows
 * of the session named exactly `name` that no record owns any more (the recorded one was killed just before).
 */
const closeUnrecordedWindows = (tmux: TmuxShape, session: string, name: string) =>
  Effect.flatMap(
    Effect.orElseSucceed(tmux.windowsNamed(session, name), () => []),
    (windows) => Effect.forEach(windows, (window) => Effect.ignore(tmux.killWindow(window)), { discard: true })
  )

/**
 * `warroom_spawn`: checks everything first, kills any warroom of the same name, opens a window with the first
 * member and splits it for the others (each new pane right after the previous one, the layout reapplied), titles
 * the panes, then records the warroom. A failure part-way closes what was created and records nothing.
 */
export const spawn = Effect.fn("warroom.spawn")(function*(input: SpawnInput) {
  const tmux = yield* Tmux
  const warrooms = yield* Warrooms
  const launches = yield* validateSpawn(input)
  yield* kill({ name: input.name })
  yield* closeUnrecordedWindows(tmux, input.session, input.name)
  const spawnedAt = yield* now
  const stored = yield* closingOnFailure(tmux, (created) =>
    Effect.gen(function*() {
      const [first, ...rest] = launches
      // The first member waits until the window's options are set: while the members start, a pane whose program
      // exits stays, and its status and last lines can be read.
      const channel = `helioy-spawn-${input.name}-${yield* newMemberId}`
      const window = yield* tmux.newWindow({
        session: input.session,
        name: input.name,
        ...first!.launch,
        command: heldUntil(channel, first!.launch.command)
      })
      yield* Ref.set(created, { windows: [window.windowId], panes: [] })
      yield* tmux.setWindowOption(window.windowId, "allow-rename", "off")
      yield* tmux.setWindowOption(window.windowId, "remain-on-exit", input.readiness === undefined ? "off" : "on")
      yield* tmux.signal(channel)
      const panes = [window]
      for (const { launch } of rest) {
        panes.push(yield* tmux.splitWindow({ target: panes[panes.length - 1]!.paneId, ...launch }))
        yield* tmux.selectLayout(window.windowId, input.layout)
      }
      yield* tmux.selectLayout(window.windowId, input.layout)
      const listed = livePanesById(yield* Effect.orElseSucceed(tmux.listPanes, () => []))
      const targets = panes.map((pane) => listed.get(pane.paneId)?.target ?? pane.target)
      yield* titlePanes(
        tmux,
        panes.map((pane, i) => ({ paneId: pane.paneId, title: memberTitle(input.members[i]!, targets[i]!) }))
      )
      return yield* warrooms.create(
        {
          warroomId: input.name,
          tmuxSession: input.session,
          tmuxWindow: input.name,
          cwd: input.cwd,
          layout: input.layout,
          runtimePolicy: null,
          metadata: encodeMetadata(window.windowId)
        },
        input.members.map((member, i) => ({
          desiredRuntime: member.runtime,
          desiredRole: member.role,
          desiredRepo: member.repo ?? null,
          spawnOrder: i,
          tmuxTarget: targets[i]!,
          paneId: panes[i]!.paneId
        })),
        spawnedAt
      )
    }).pipe(Effect.catchTags({ TmuxCommandFailed: spawnFailed(input.name), TmuxUnavailable: spawnFailed(input.name) })))
  const readiness = yield* watchReadiness(
    input.readiness,
    Option.fromNullable(windowIdOf(stored)),
    stored.members.map((member, i) => ({
      agentId: launches[i]!.agentId,
      paneId: member.pane_id,
      role: member.desired_role,
      runtime: member.desired_runtime
    }))
  )
  return {
    warroom_id: stored.warroom_id,
    tmux_window: stored.tmux_window,
    members: stored.members.map((member, i) => ({
      ...spawnedMemberView(member, launches[i]!.agentId),
      state: memberState(readiness, launches[i]!.agentId, member.pane_id)
    })),
    spawned_at: spawnedAt,
    messaging: { instruction: messagingInstruction, member_types: input.members.map((member) => member.role) },
    ...readinessView(readiness)
  }
})

/**
 * `warroom_add`: splits a new pane after the warroom's last live member (in that member's window), reapplies the
 * stored layout and records the member; fails with WarroomNotFound when no active warroom has live panes.
 */
export const add = Effect.fn("warroom.add")(function*(name: string, member: MemberSpec, readiness?: ReadinessWait) {
  const tmux = yield* Tmux
  const warrooms = yield* Warrooms
  const runtimes = yield* Runtimes
  const { root } = yield* BusDir
  const warroom = Option.filter(yield* warrooms.get(name), (w) => w.status === "active")
  if (Option.isNone(warroom)) return yield* new WarroomNotFound({ warroomId: name, active: yield* activeIds })
  const { members } = warroom.value
  if (members.length >= maxMembers) return yield* new InvalidAgentCount({ count: members.length + 1 })
  const spawnOrder = members.reduce((max, m) => Math.max(max, m.spawn_order + 1), 0)
  yield* checkMember(runtimes, member)
  const { agentId, launch } = yield* memberLaunch(member, name, spawnOrder, root)
  yield* checkLaunchable(member)
  const live = yield* livePanes
  const anchor = [...members].reverse().find((m) => live.has(m.pane_id))
  if (anchor === undefined) {
    yield* warrooms.close(name)
    return yield* new WarroomNotFound({ warroomId: name, active: yield* activeIds })
  }
  const added = yield* closingOnFailure(tmux, (created) =>
    Effect.gen(function*() {
      const windowId = yield* tmux.windowOf(anchor.pane_id)
      if (readiness !== undefined) yield* tmux.setWindowOption(windowId, "remain-on-exit", "on")
      const pane = yield* tmux.splitWindow({ target: anchor.pane_id, ...launch })
      yield* Ref.set(created, { windows: [], panes: [pane.paneId] })
      yield* tmux.selectLayout(windowId, warroom.value.layout)
      const target = yield* Effect.orElseSucceed(Effect.map(tmux.pane(pane.paneId), (p) => p.target), () => pane.target)
      yield* titlePanes(tmux, [{ paneId: pane.paneId, title: memberTitle(member, target) }])
      const desired = { desiredRuntime: member.runtime, desiredRole: member.role, desiredRepo: member.repo ?? null }
      const stored = yield* warrooms.addMember(name, {
        ...desired,
        spawnOrder,
        tmuxTarget: target,
        paneId: pane.paneId
      }, yield* now)
      return { stored, windowId }
    }).pipe(Effect.catchTags({ TmuxCommandFailed: spawnFailed(name), TmuxUnavailable: spawnFailed(name) })))
  const watched = yield* watchReadiness(readiness, Option.some(added.windowId), [
    { agentId, paneId: added.stored.pane_id, role: member.role, runtime: member.runtime }
  ])
  return {
    warroom_id: name,
    added: { ...spawnedMemberView(added.stored, agentId), state: memberState(watched, agentId, added.stored.pane_id) },
    member_count: members.length + 1,
    ...readinessView(watched)
  }
})
