/** Pieces of tmux command lines that must reach tmux unaltered: formats escaped, commands exec'd without a shell. */

/**
 * Escapes `#` so that tmux, which expands `#{...}` formats in `-c` directories and `-T` titles, keeps a value literal.
 */
export const literal = (value: string): string => value.replaceAll("#", "##")

const plainProgram = /^[^-=][^=]*$/

/**
 * The argv to give tmux after `--` so that it execs `command` directly. tmux runs a command of ONE argument through
 * `sh -c`, so a lone program is prefixed with `env` (or, when its name could be read by `env` as an option or an
 * assignment, handed to `sh -c 'exec "$0"'` as a positional parameter that the shell never parses).
 */
export const execArgv = (command: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (command.length !== 1) return command
  const program = command[0]!
  return plainProgram.test(program) ? ["env", program] : ["/bin/sh", "-c", "exec \"$0\"", program]
}

/** `-e NAME=VALUE` for every variable. */
export const envFlags = (env: Readonly<Record<string, string>>): ReadonlyArray<string> =>
  Object.entries(env).flatMap(([name, value]) => ["-e", `${name}=${value}`])

/** The `-t` target of a session: an id `$N` as is, a name matched exactly (`=name`, never by prefix). */
export const sessionTarget = (session: string): string => session.startsWith("$") ? `${session}:` : `=${session}:`

/**
 * `text` as one argument in tmux's command language, taken literally: double-quoted with `\`, `"` and `$` escaped
 * (tmux expands `$VAR` in double quotes), and `#` doubled, since `run-shell` expands `#{…}` and `#(…)` formats in its
 * command before the shell sees it.
 */
export const tmuxCommandArgument = (text: string): string =>
  `"${text.replace(/[\\"$]/g, "\\$&").replaceAll("#", "##")}"`
