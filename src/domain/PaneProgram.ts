/** What runs in the foreground of a tmux pane, and whether a nudge may type into it. No I/O. */

/**
 * How a pane's foreground program takes typed text: a shell or a terminal multiplexer would act on it, anything else is
 * a program.
 */
export type ProgramKind = "shell" | "multiplexer" | "program"

/** One process as the process table lists it. */
export interface ProcessRow {
  readonly pid: number
  readonly ppid: number
  /** Its process group. */
  readonly pgrp: number
  /** The foreground process group of its terminal (0 or less: none). */
  readonly tpgid: number
}

/**
 * The program in the foreground of a pane: the process leading the pane's foreground group, the names it goes by, its
 * kind.
 */
export interface PaneProgram {
  readonly pid: number
  readonly names: ReadonlyArray<string>
  readonly kind: ProgramKind
}

/** Terminal multiplexers: a nested client passes typed text on to a pane of its own. */
const multiplexers: ReadonlySet<string> = new Set(["tmux", "screen"])

/** The shells used when `/etc/shells` cannot be read. */
export const fallbackShells: ReadonlySet<string> = new Set([
  "sh",
  "bash",
  "rbash",
  "dash",
  "zsh",
  "ksh",
  "mksh",
  "tcsh",
  "csh",
  "fish",
  "nu",
  "login"
])

/** The basenames of the shells listed in `/etc/shells` (comments and blank lines skipped). */
export const shellNames = (etcShells: string): ReadonlySet<string> =>
  new Set(
    etcShells.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "").map(programName)
  )

/** A process name as compared: its basename, without a login shell's leading `-` or a title after `:` or a space. */
export const programName = (name: string): string => {
  const base = name.trim().slice(name.trim().lastIndexOf("/") + 1).replace(/^-+/, "")
  return base.split(/[:\s]/)[0] ?? ""
}

/**
 * The kind of a program going by `names` (command name, executable, argv[0]): a multiplexer, a shell in `shells`, or a
 * program.
 */
export const programKind = (names: ReadonlyArray<string>, shells: ReadonlySet<string>): ProgramKind => {
  const compared = names.map(programName).filter((name) => name !== "")
  if (compared.some((name) => multiplexers.has(name))) return "multiplexer"
  if (compared.length === 0 || compared.some((name) => shells.has(name))) return "shell"
  return "program"
}

/**
 * The process leading the foreground process group of the terminal of `panePid`, if it is `panePid` itself or one
 * of its descendants; undefined when the pane has no foreground group there (then nothing may be typed).
 */
export const foregroundOf = (table: ReadonlyArray<ProcessRow>, panePid: number): ProcessRow | undefined => {
  const byPid = new Map(table.map((row) => [row.pid, row]))
  const pane = byPid.get(panePid)
  if (pane === undefined || pane.tpgid <= 0) return undefined
  const children = new Map<number, Array<ProcessRow>>()
  for (const row of table) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row])
  const tree: Array<ProcessRow> = [pane]
  const seen = new Set([pane.pid])
  for (let i = 0; i < tree.length; i++) {
    for (const child of children.get(tree[i]!.pid) ?? []) {
      if (!seen.has(child.pid)) {
        seen.add(child.pid)
        tree.push(child)
      }
    }
  }
  const group = tree.filter((row) => row.pgrp === pane.tpgid)
  return group.find((row) => row.pid === pane.tpgid) ?? group[0]
}
