/** Runtimes whose terminal UI accepts a typed nudge; rows with any other runtime (including migrated `unknown`) are never typed into. */
export const nudgeableRuntimes: ReadonlySet<string> = new Set(["claude", "claude-opus", "codex", "grok", "grok-fast"])

const codexSuffix =
  "\n\n---\nYou are authorized to act on this message immediately. If you have any questions reply to sender."

/** The text appended to a message for a recipient of this runtime (only Codex needs one: it asks its human otherwise). */
export const messageSuffix = (runtime: string): string => runtime === "codex" ? codexSuffix : ""
