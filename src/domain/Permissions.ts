/**
 * How much a launched member may do without asking: Claude Code's permission mode, Codex's sandbox and approval
 * policy. "default" leaves each runtime to its own default; a bypass is used only when asked for.
 */

/** Claude Code's permission modes (`--permission-mode`), and `default` for none given. */
export const claudePermissionModes = [
  "default",
  "manual",
  "acceptEdits",
  "auto",
  "plan",
  "dontAsk",
  "bypassPermissions"
] as const

/** Codex's sandbox policies (`--sandbox`), and `default`. */
export const codexSandboxes = ["default", "read-only", "workspace-write", "danger-full-access"] as const

/** Codex's approval policies (`--ask-for-approval`), and `default`. */
export const codexApprovals = ["default", "on-request", "never"] as const

/** A Claude Code permission mode. */
export type ClaudePermissionMode = (typeof claudePermissionModes)[number]

/** A Codex sandbox policy. */
export type CodexSandbox = (typeof codexSandboxes)[number]

/** A Codex approval policy. */
export type CodexApproval = (typeof codexApprovals)[number]

/** The permissions of one launched member. */
export interface MemberPermissions {
  readonly claudeMode: ClaudePermissionMode
  readonly codexSandbox: CodexSandbox
  readonly codexApproval: CodexApproval
}

/** Every runtime's own default: no flag at all. */
export const defaultPermissions: MemberPermissions = {
  claudeMode: "default",
  codexSandbox: "default",
  codexApproval: "default"
}

/** Permissions given in part (spawn arguments, a preset, configuration), as text not yet checked. */
export interface PermissionChoice {
  readonly claudeMode?: string | undefined
  readonly codexSandbox?: string | undefined
  readonly codexApproval?: string | undefined
}

type Picked<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: string }

const pick = <A extends string>(
  allowed: ReadonlyArray<A>,
  what: string,
  choices: ReadonlyArray<string | undefined>
): Picked<A> => {
  const chosen = choices.map((choice) => choice?.trim() ?? "").find((choice) => choice !== "")
  if (chosen === undefined) return { ok: true, value: "default" as A }
  const found = allowed.find((value) => value === chosen)
  return found === undefined
    ? { ok: false, error: `unknown ${what} '${chosen}'; one of: ${allowed.join(", ")}` }
    : { ok: true, value: found }
}

/**
 * The permissions of a member from the choices in precedence order (first given wins; none: the runtime's default);
 * fails with a reason naming an unknown value and the allowed ones.
 */
export const choosePermissions = (choices: ReadonlyArray<PermissionChoice>): Picked<MemberPermissions> => {
  const claude = pick(claudePermissionModes, "Claude Code permission mode", choices.map((choice) => choice.claudeMode))
  const sandbox = pick(codexSandboxes, "Codex sandbox", choices.map((choice) => choice.codexSandbox))
  const approval = pick(codexApprovals, "Codex approval policy", choices.map((choice) => choice.codexApproval))
  if (!claude.ok) return claude
  if (!sandbox.ok) return sandbox
  if (!approval.ok) return approval
  return { ok: true, value: { claudeMode: claude.value, codexSandbox: sandbox.value, codexApproval: approval.value } }
}

/** Claude Code's flags for a permission mode (none for `default`). */
export const claudePermissionFlags = (mode: ClaudePermissionMode): ReadonlyArray<string> =>
  mode === "default" ? [] : ["--permission-mode", mode]

/** Codex's flags for a sandbox and an approval policy (none for `default`). */
export const codexPermissionFlags = (sandbox: CodexSandbox, approval: CodexApproval): ReadonlyArray<string> => [
  ...(sandbox === "default" ? [] : ["--sandbox", sandbox]),
  ...(approval === "default" ? [] : ["--ask-for-approval", approval])
]

/**
 * Why a permission mode cannot work for this user before anything launches (Claude Code refuses a bypass as root); none
 * when it can.
 */
export const permissionProblem = (
  runtime: string,
  permissions: MemberPermissions,
  userId: number | undefined
): string | undefined =>
  runtime.startsWith("claude") && permissions.claudeMode === "bypassPermissions" && userId === 0
    ? "Claude Code refuses the bypassPermissions mode for root (it exits at once); choose another permission_mode, or run as another user"
    : undefined
