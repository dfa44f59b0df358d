/** The process table as the pane checks read it: `/proc` on Linux, `ps` output elsewhere. */
import * as fs from "node:fs"
import type { ProcessRow } from "../domain/PaneProgram.js"

const statRow = (pid: number, stat: string): { readonly row: ProcessRow; readonly comm: string } | undefined => {
  const open = stat.indexOf("(")
  const close = stat.lastIndexOf(")")
  if (open < 0 || close < open) return undefined
  // After the command: state ppid pgrp session tty_nr tpgid ...
  const fields = stat.slice(close + 2).split(" ")
  const [ppid, pgrp, tpgid] = [Number(fields[1]), Number(fields[2]), Number(fields[5])]
  if (![ppid, pgrp, tpgid].every(Number.isInteger)) return undefined
  return { row: { pid, ppid, pgrp, tpgid }, comm: stat.slice(open + 1, close) }
}

/** Every process in `/proc`, or undefined where there is no `/proc`. */
export const procTable = (): ReadonlyArray<ProcessRow> | undefined => {
  let entries: Array<string>
  try {
    entries = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))
  } catch {
    return undefined
  }
  if (entries.length === 0) return undefined
  return entries.flatMap((entry) => {
    try {
      const parsed = statRow(Number(entry), fs.readFileSync(`/proc/${entry}/stat`, "utf8"))
      return parsed ? [parsed.row] : []
    } catch {
      return []
    }
  })
}

/**
 * The names a process goes by in `/proc`: its command name, its executable and its argv[0] (those that can be read).
 */
export const procNames = (pid: number): ReadonlyArray<string> => {
  const names: Array<string> = []
  const attempt = (read: () => string) => {
    try {
      const name = read()
      if (name !== "") names.push(name)
    } catch {
      // not readable (gone, or another user's): the other names decide
    }
  }
  attempt(() => fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim())
  attempt(() => fs.readlinkSync(`/proc/${pid}/exe`))
  attempt(() => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "")
  return names
}

/** The `ps -A -o pid=,ppid=,pgid=,tpgid=,comm=` output as rows and command names. */
export const parsePs = (text: string): ReadonlyArray<{ readonly row: ProcessRow; readonly comm: string }> =>
  text.split("\n").flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(.*)$/.exec(line)
    if (!match) return []
    const [pid, ppid, pgrp, tpgid] = [match[1], match[2], match[3], match[4]].map(Number) as [
      number,
      number,
      number,
      number
    ]
    return [{ row: { pid, ppid, pgrp, tpgid }, comm: match[5]!.trim() }]
  })
