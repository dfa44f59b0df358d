/** Fresh directories for the bus-file tests: a private temp dir per test, removed afterwards. */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const made: Array<string> = []

/** A fresh 0700 directory under the system temp dir (removed by `removeDirs`). */
export const freshDir = (prefix = "helioy-files-"): string => {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Removes every directory made by `freshDir`. */
export const removeDirs = () => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** Makes a FIFO. */
export const mkfifo = (path: string) => execFileSync("mkfifo", ["-m", "600", path])

/** Whether this process runs as root (it can chown files to another user). */
export const isRoot = process.getuid?.() === 0

/** A pid no process has (beyond the kernel's pid range). */
export const deadPid = 999_999_999
