/** How warroom members become tmux panes: their checks, their launch, and closing what a failed spawn left. */
import { Effect, Either, Ref } from "effect"
import { type AgentId, validateAgentId } from "../../domain/AgentId.js"
import type { MemberPermissions } from "../../domain/Permissions.js"
import type { LaunchSpec } from "../../domain/RuntimeAdapter.js"
import { memberAgentId, paneTitle, repoOf } from "../../domain/Warroom.js"
import type { TmuxError } from "../../errors/tmux.js"
import { InvalidMember } from "../../errors/warroom.js"
import type { RuntimesShape } from "../../services/Runtimes.js"
import type { PaneInfo, PaneLaunch, TmuxShape } from "../../services/Tmux.js"

/** One member to launch, its agent type already resolved. */
export interface MemberSpec {
  /** The qualified agent type, or `general` for a bare runtime. */
  readonly role: string
  /** The runtime id (`claude`, `codex`, ...). */
  readonly runtime: string
  /** The command line from the runtime adapter's `launch`. */
  readonly launch: LaunchSpec
  /** The member's working directory (absolute). */
  readonly cwd: string
  /** The repository recorded as `desired_repo`, if the member was spawned for one. */
  readonly repo?: string | undefined
  /** The permissions its launch command carries (default: the runtime's own). */
  readonly permissions?: MemberPermissions | undefined
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/
const rolePattern = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]*$/

/**
 * Checks that a member can be launched (known runtime with a command, absolute cwd, sane role and variables); fails
 * with InvalidMember.
 */
export const checkMember = (runtimes: RuntimesShape, member: MemberSpec) =>
  Effect.gen(function*() {
    const fail = (reason: string) => new InvalidMember({ role: member.role, runtime: member.runtime, reason })
    if (runtimes.get(member.runtime)._tag === "None") {
      const known = runtimes.all.map((adapter) => adapter.id).sort().join(", ")
      return yield* fail(`Unknown runtime '${member.runtime}'. Known: [${known}]`)
    }
    if (member.launch.command.trim() === "") {
      return yield* fail(
        "this runtime has no launch command (its agents register themselves); pick claude, codex, gemini or grok"
      )
    }
    if (!rolePattern.test(member.role)) {
      return yield* fail(
        "a role is an agent type of letters, digits and _ . : @ - (e.g. 'helioy-tools:backend'), or 'general'"
      )
    }
    if (!member.cwd.startsWith("/")) return yield* fail(`working directory '${member.cwd}' is not an absolute path`)
    const badName = Object.keys(member.launch.env).find((name) => !envName.test(name))
    if (badName !== undefined) return yield* fail(`'${badName}' is not a valid environment variable name`)
  })

/**
 * A member's agent id and what its pane runs: the runtime's command with the bus variables in its environment; fails
 * with InvalidMember when the id it would get is unusable.
 */
export const memberLaunch = (member: MemberSpec, warroomId: string, spawnOrder: number, busDir: string) =>
  Either.match(validateAgentId(memberAgentId(member.repo ?? member.cwd, member.role, warroomId, spawnOrder)), {
    onLeft: (reason) =>
      Effect.fail(
        new InvalidMember({
          role: member.role,
          runtime: member.runtime,
          reason: `its agent id would be unusable: ${reason}`
        })
      ),
    onRight: (agentId) => Effect.succeed({ agentId, launch: paneLaunch(member, agentId, busDir) })
  })

const paneLaunch = (member: MemberSpec, agentId: AgentId, busDir: string): PaneLaunch => ({
  cwd: member.cwd,
  env: {
    ...member.launch.env,
    HELIOY_AGENT_ID: agentId,
    HELIOY_BUS_AGENT_TYPE: member.role,
    HELIOY_RUNTIME: member.runtime,
    HELIOY_BUS_DIR: busDir
  },
  command: [member.launch.command, ...member.launch.args]
})

/** The conventional title of a member's pane at a tmux address. */
export const memberTitle = (member: MemberSpec, tmuxTarget: string) =>
  paneTitle(member.repo ?? repoOf(member.cwd), member.role, tmuxTarget)

/** A sentence saying what tmux did wrong, with a hint when a pane vanished (its command exited at once). */
export const tmuxFailureText = (error: TmuxError): string => {
  if (error._tag === "TmuxUnavailable") return error.reason
  const text = `tmux ${error.args[0] ?? ""} failed: ${error.stderr || `exit code ${error.exitCode}`}`
  return /can't find/.test(error.stderr)
    ? `${text} (a pane closes as soon as its command exits: check that the runtime's command starts in a terminal)`
    : text
}

/** What a spawn has created so far, so that a failure can close it again. */
export interface Created {
  readonly windows: ReadonlyArray<string>
  readonly panes: ReadonlyArray<string>
}

/**
 * Tracks the windows and panes a spawn creates and closes them all (best effort) when `effect` fails or is interrupted.
 */
export const closingOnFailure = <A, E, R>(
  tmux: TmuxShape,
  effect: (created: Ref.Ref<Created>) => Effect.Effect<A, E, R>
) =>
  Effect.flatMap(Ref.make<Created>({ windows: [], panes: [] }), (created) =>
    effect(created).pipe(
      Effect.onError(() =>
        Effect.flatMap(Ref.get(created), ({ panes, windows }) =>
          Effect.all([
            Effect.forEach(windows, (window) => Effect.ignore(tmux.killWindow(window)), { discard: true }),
            Effect.forEach(panes, (pane) => Effect.ignore(tmux.killPane(pane)), { discard: true })
          ], { discard: true }))
      )
    ))

/** Sets the conventional title of each pane (best effort: a runtime may already have closed its pane). */
export const titlePanes = (
  tmux: TmuxShape,
  titles: ReadonlyArray<{ readonly paneId: string; readonly title: string }>
) => Effect.forEach(titles, ({ paneId, title }) => Effect.ignore(tmux.setPaneTitle(paneId, title)), { discard: true })

/** Live (not dead) panes by id, from one listing. */
export const livePanesById = (panes: ReadonlyArray<PaneInfo>): ReadonlyMap<string, PaneInfo> =>
  new Map(panes.filter((pane) => !pane.dead).map((pane) => [pane.paneId, pane]))
