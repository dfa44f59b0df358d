/**
 * The tmux addresses the bus accepts: stable pane ids `%N`, window ids `@N`, session ids `$N` and `session:window.pane`
 * targets.
 */

/** A stable tmux pane id. */
export const paneIdPattern = /^%\d+$/

/** A stable tmux window id. */
export const windowIdPattern = /^@\d+$/

/** A stable tmux session id. */
export const sessionIdPattern = /^\$\d+$/

/**
 * A session name as tmux prints it in a target: no `:` or `.` (tmux replaces them), no control characters, and no
 * first character that tmux or its option parser would read as something else (`-` an option, `=` an exact match,
 * `$ @ %` an id, `! ~ { }` special targets).
 */
const sessionName = /^[^-=$@%!~{}:.\p{Cc}\p{Cf}][^:.\p{Cc}\p{Cf}]*$/u

/** Says what is wrong with a pane id, or undefined when it is `%N`. */
export const paneIdProblem = (paneId: string): string | undefined =>
  paneIdPattern.test(paneId) ? undefined : "a tmux pane id is '%' and digits, e.g. %12 (see #{pane_id})"

/** Says what is wrong with a `session:window.pane` target, or undefined when it is well formed. */
export const tmuxTargetProblem = (target: string): string | undefined => {
  const match = /^(.*):(\d+)\.(\d+)$/su.exec(target)
  return match && sessionName.test(match[1]!)
    ? undefined
    : "a tmux target is session:window.pane, e.g. main:0.1 (a session name without ':' or '.', not starting with - = $ @ % ! ~ { })"
}

/** Whether a value may be given to tmux as the `-t` of a pane: a pane id or a well-formed target. */
export const isPaneAddress = (value: string): boolean =>
  paneIdProblem(value) === undefined || tmuxTargetProblem(value) === undefined

/**
 * Whether a value may be given to tmux as the `-t` of a window: a window id `@N`, or `<session>:=<name>` (an exact
 * name).
 */
export const isWindowAddress = (value: string): boolean =>
  windowIdPattern.test(value) || (/^[^:]+:=.+$/su.test(value) && isSessionAddress(value.slice(0, value.indexOf(":"))))

/** Whether a value may be given to tmux as a session: a session id `$N`, or a session name. */
export const isSessionAddress = (value: string): boolean => sessionIdPattern.test(value) || sessionName.test(value)
