/**
 * Checks that a member's runtime can start here before any pane opens: its program on the panes' PATH, a permission
 * mode that can work.
 */
import { Effect, Option } from "effect"
import { defaultPermissions, permissionProblem } from "../../domain/Permissions.js"
import { InvalidMember } from "../../errors/warroom.js"
import { Processes } from "../../services/Processes.js"
import { SessionEnv } from "../../services/SessionEnv.js"
import { Tmux } from "../../services/Tmux.js"
import type { MemberSpec } from "./panes.js"

/**
 * Fails with InvalidMember when the member's runtime program is not on the PATH that tmux gives new panes (this
 * process's PATH when tmux has none), or when its permission mode cannot work for this user (Claude Code refuses a
 * bypass for root) — said before launching rather than after.
 */
export const checkLaunchable = Effect.fn("warroom.checkLaunchable")(function*(member: MemberSpec) {
  const processes = yield* Processes
  const tmux = yield* Tmux
  const fail = (reason: string) => new InvalidMember({ role: member.role, runtime: member.runtime, reason })
  const problem = permissionProblem(member.runtime, member.permissions ?? defaultPermissions, processes.userId)
  if (problem !== undefined) return yield* fail(problem)
  const program = member.launch.program
  if (program === "") return
  const panePath = yield* Effect.orElseSucceed(tmux.globalEnvironment("PATH"), () => Option.none<string>())
  const path = Option.getOrElse(panePath, () => "") || (yield* SessionEnv).path
  if (Option.isNone(yield* processes.findExecutable(program, path))) {
    return yield* fail(
      `'${program}' is not on the PATH new tmux panes get (${path}); install it, or fix PATH in the tmux server's environment`
    )
  }
})
