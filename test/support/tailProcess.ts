/** The built `helioy-bus tail --json` as a child process: its events as they arrive, awaited by what they say. */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { busBin } from "./mcpClient.js"

/** A running tail. */
export interface TailProcess {
  readonly child: ChildProcess
  /** The first event so far or later that satisfies `predicate` (waits for lines, never for time). */
  readonly next: (predicate: (event: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>
  /** Every event so far. */
  readonly events: () => ReadonlyArray<Record<string, unknown>>
}

/**
 * Starts `helioy-bus tail --json` with exactly `env` and resolves once it wrote its `following …` line on stderr (from
 * then on nothing delivered is missed); the caller stops `child`.
 */
export const startTail = async (env: Record<string, string>): Promise<TailProcess> => {
  const child = spawn(process.execPath, [busBin, "tail", "--json"], { env })
  const events: Array<Record<string, unknown>> = []
  let arrived = () => {}
  createInterface({ input: child.stdout }).on("line", (line) => {
    events.push(JSON.parse(line) as Record<string, unknown>)
    arrived()
  })
  const next = async (predicate: (event: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = events.find(predicate)
      if (found) return found
      await new Promise<void>((resolve) => {
        arrived = resolve
      })
    }
  }
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (line.startsWith("following ")) resolve()
    })
    child.once("exit", (code) => reject(new Error(`helioy-bus tail exited with ${code} before following`)))
  })
  return { child, next, events: () => events }
}
