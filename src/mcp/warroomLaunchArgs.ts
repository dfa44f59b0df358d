/**
 * The arguments every warroom tool that launches members takes: the members' permissions and how long to wait for them.
 */
import { z } from "zod"
import { claudePermissionModes, codexApprovals, codexSandboxes, type PermissionChoice } from "../domain/Permissions.js"
import type { ReadinessRequest } from "../programs/warroom/requests.js"

/** The zod shape of the permission arguments (also what a preset may carry). */
export const permissionArgs = {
  permission_mode: z.string().optional().describe(
    `Claude Code members' permission mode: ${
      claudePermissionModes.join(", ")
    } (default: Claude Code's own; bypassPermissions checks nothing and is refused for root)`
  ),
  codex_sandbox: z.string().optional().describe(
    `Codex members' sandbox: ${codexSandboxes.join(", ")} (default: Codex's own)`
  ),
  codex_approval: z.string().optional().describe(
    `Codex members' approval policy: ${codexApprovals.join(", ")} (default: Codex's own)`
  )
}

/** The zod shape of the arguments of a launch: permissions, the wait for the members, and keeping dead panes. */
export const launchArgs = {
  ...permissionArgs,
  wait_seconds: z.number().optional().describe(
    "how long to wait until every member has registered and shows its prompt (default 60, or HELIOY_WARROOM_READY_SECONDS); members not ready by then are reported pending"
  ),
  keep_failed_panes: z.boolean().optional().describe(
    "leave the panes of members that died open for inspection (default: close them)"
  )
}

/** The permission arguments as a choice. */
export const permissionChoice = (args: {
  readonly permission_mode?: string | undefined
  readonly codex_sandbox?: string | undefined
  readonly codex_approval?: string | undefined
}): PermissionChoice => ({
  claudeMode: args.permission_mode,
  codexSandbox: args.codex_sandbox,
  codexApproval: args.codex_approval
})

/** The launch arguments as the requests take them. */
export const launchRequest = (args: {
  readonly permission_mode?: string | undefined
  readonly codex_sandbox?: string | undefined
  readonly codex_approval?: string | undefined
  readonly wait_seconds?: number | undefined
  readonly keep_failed_panes?: boolean | undefined
}): { readonly permissions: PermissionChoice; readonly readiness: ReadinessRequest } => ({
  permissions: permissionChoice(args),
  readiness: { waitSeconds: args.wait_seconds, keepFailed: args.keep_failed_panes ?? false }
})
