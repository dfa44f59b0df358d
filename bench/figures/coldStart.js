/**
 * (a) Cold start: spawning `helioy-bus serve` to its first tools/list answer.
 */
import { startServer } from "../support/server.js"
import { median, percentile, round, timed } from "../support/stats.js"
import { busDir, home } from "../support/workspace.js"

const coldStartRuns = 15

/** (a) Spawn to first tools/list answer, median and p90 of 15 runs; rejects if a start fails or lists no tools. */
export const coldStart = async () => {
  const dir = busDir("cold")
  const once = async () => {
    const { ms, value: server } = await timed(async () => {
      const server = await startServer({ home, busDir: dir, agentId: "cold" })
      const tools = await server.client.listTools()
      if (tools.tools.length === 0) throw new Error("tools/list returned no tools")
      return server
    })
    await server.close()
    return ms
  }
  await once() // warm the file cache; not counted
  const samples = []
  for (let run = 0; run < coldStartRuns; run++) samples.push(await once())
  return { coldStartMedianMs: round(median(samples)), coldStartP90Ms: round(percentile(samples, 90)), coldStartRuns }
}
