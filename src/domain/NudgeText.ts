/** The only text a nudge ever types: fixed, one line, never message content. */
export const nudgeText = "helioy-bus: you have new mail. Call get_messages to read it."

/** Foreground commands that are shells: typing into them would run the text as a command, so they are never nudged. */
export const shellCommands: ReadonlySet<string> = new Set(["bash", "sh", "zsh", "fish", "dash", "ksh", "tcsh", "csh", "nu", "login"])
