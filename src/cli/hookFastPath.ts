import * as fs from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { mailNotice } from "../domain/MailNotice.js"

const ancestorAgent = (pidsDir: string): string | undefined => {
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

const senderOf = (path: string): string => {
  try {
    const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
    try {
      const buffer = Buffer.alloc(4096)
      const text = buffer.toString("utf8", 0, fs.readSync(fd, buffer, 0, buffer.length, 0))
      return /"from"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? "unknown"
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return "unknown"
  }
}

/**
 * The per-prompt and per-tool hooks without loading Effect or SQLite: for a safe bus dir and an agent known from
 * HELIOY_AGENT_ID (not for Codex) or an ancestor's pid file, the hook's whole stdout ("" when no mail waits, else the additionalContext JSON naming the
 * senders). Undefined when the agent cannot be told this cheaply, so the full handler runs. Never throws.
 */
export const fastMailContext = (env: NodeJS.ProcessEnv, hookEventName: string): string | undefined => {
  try {
    const busDir = env.HELIOY_BUS_DIR || join(homedir(), ".helioy", "bus")
    const stat = fs.lstatSync(busDir)
    if (!stat.isDirectory() || (stat.mode & 0o022) !== 0 || stat.uid !== process.getuid?.()) return undefined
    // Codex runs hooks in a daemon whose environment may be another session's: only the process tree counts there.
    const fromEnv = env.HELIOY_RUNTIME === "codex" ? undefined : env.HELIOY_AGENT_ID
    const agentId = fromEnv || ancestorAgent(join(busDir, "pids"))
    if (!agentId || /[/\\]/.test(agentId) || agentId.startsWith(".")) return undefined
    const inbox = join(busDir, "inbox", agentId)
    const names = fs.readdirSync(inbox).filter((name) => name.endsWith(".json") && !name.startsWith(".")).sort()
    if (names.length === 0) return ""
    const additionalContext = mailNotice(agentId, names.map((name) => senderOf(join(inbox, name))))
    return JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext } })
  } catch {
    return undefined
  }
}
