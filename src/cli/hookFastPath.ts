import * as fs from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"

const ancestorIds = (pidsDir: string): string | undefined => {
  let pid = process.pid
  for (let hop = 0; hop < 32 && pid > 1; hop++) {
    try {
      const id = fs.readFileSync(join(pidsDir, String(pid)), "utf8").trim()
      if (id !== "") return id
    } catch {
      // no pid file for this process: look at its parent
    }
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
    } catch {
      return undefined
    }
  }
  return undefined
}

/**
 * The hot path of the per-prompt and per-tool hooks, without loading Effect: true when the agent is known (from
 * HELIOY_AGENT_ID or an ancestor's pid file) and its inbox holds no message, so the hook can exit at once. Any
 * doubt answers false and the full handler runs. Never throws.
 */
export const noMailWaiting = (env: NodeJS.ProcessEnv): boolean => {
  try {
    const busDir = env.HELIOY_BUS_DIR || join(homedir(), ".helioy", "bus")
    const agentId = env.HELIOY_AGENT_ID || ancestorIds(join(busDir, "pids"))
    if (!agentId || agentId.includes("/") || agentId.startsWith(".")) return false
    const names = fs.readdirSync(join(busDir, "inbox", agentId))
    return !names.some((name) => name.endsWith(".json") && !name.startsWith("."))
  } catch {
    return false
  }
}
