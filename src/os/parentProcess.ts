/**
 * A process's parent and command name, without Effect (the per-prompt hook reads them too): from `/proc` where it
 * exists, else from `ps` (macOS and other systems without `/proc`).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"

/** How this system's process table is read. */
export type ProcessSource = "proc" | "ps"

/** The source this system has: `proc` when `/proc/self/stat` can be read, else `ps`. */
export const processSource = (): ProcessSource => {
  try {
    fs.accessSync("/proc/self/stat", fs.constants.R_OK)
    return "proc"
  } catch {
    return "ps"
  }
}

const positive = (value: number): number | undefined => Number.isInteger(value) && value > 0 ? value : undefined

/** The parent of `pid` from `/proc/<pid>/stat`; undefined when the process is gone or unreadable. */
export const procParent = (pid: number): number | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    return positive(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]))
  } catch {
    return undefined
  }
}

/** The command name of `pid` from `/proc/<pid>/comm`; undefined when gone or unreadable. */
export const procCommand = (pid: number): string | undefined => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim()
  } catch {
    return undefined
  }
}

/** One `ps -o <field>= -p <pid>` value (no shell); undefined when the process is gone or ps cannot run. */
const psField = (pid: number, field: "ppid" | "comm"): string | undefined => {
  try {
    const out = execFileSync("ps", ["-o", `${field}=`, "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 2000
    })
    const value = out.trim()
    return value === "" ? undefined : value
  } catch {
    return undefined
  }
}

/** The parent of `pid` from `ps`; undefined when gone. */
export const psParent = (pid: number): number | undefined => positive(Number(psField(pid, "ppid")))

/** The command name of `pid` from `ps` (its basename, as `/proc/<pid>/comm` gives it); undefined when gone. */
export const psCommand = (pid: number): string | undefined => {
  const command = psField(pid, "comm")
  return command === undefined ? undefined : command.slice(command.lastIndexOf("/") + 1)
}

/** The parent of `pid` from this system's process table. */
export const parentProcess = (pid: number, source: ProcessSource = processSource()): number | undefined =>
  source === "proc" ? procParent(pid) : psParent(pid)
