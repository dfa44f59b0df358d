/**
 * What a running process uses, read from /proc: resident memory and CPU time. Where /proc is missing, null.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { round } from "./stats.js"

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    return 100
  }
})()

/** The resident set and its peak of a process, in MB, from /proc; both null where /proc cannot be read. */
export const memoryOf = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN)
    return { rssMb: round(kb("VmRSS") / 1024), peakRssMb: round(kb("VmHWM") / 1024) }
  } catch {
    return { rssMb: null, peakRssMb: null }
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc; null where /proc cannot be read. */
export const cpuMsOf = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
  } catch {
    return null
  }
}
