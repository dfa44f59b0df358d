/**
 * One cleanup for the whole bench: every process, tmux server and temp dir registers its undo step here, and
 * `cleanUp` runs them all at the end (also on failure or Ctrl-C). Progress lines go to stderr.
 */
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const cleanups = []

/** Registers an undo step that `cleanUp` runs (newest first); never fails. */
export const onCleanup = (step) => {
  cleanups.push(step)
}

/** Runs every registered undo step once, newest first; never throws (a failing step is reported on stderr). */
export const cleanUp = async () => {
  while (cleanups.length > 0) {
    const step = cleanups.pop()
    try {
      await step()
    } catch (error) {
      progress(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

/** Writes one progress line to stderr (stdout carries only the JSON result); never fails. */
export const progress = (line) => {
  process.stderr.write(`[bench] ${line}\n`)
}

/** Creates a fresh temporary directory, removed at cleanup; throws if the directory cannot be made. */
export const makeTempDir = (prefix) => {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix))
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}
