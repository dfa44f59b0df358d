import * as fs from "node:fs"
import { homedir } from "node:os"
import { join, resolve } from "node:path"
import { awaitingCount } from "../busFiles/awaitingAck.js"
import { readBusFile } from "../busFiles/boundedRead.js"
import { type BusTree, checkDirectory, openBusTree } from "../busFiles/directories.js"
import { readMessageHead } from "../busFiles/messageHead.js"
import { isMessageFileName } from "../busFiles/messageNames.js"
import { agentIdProblem } from "../domain/AgentIdSyntax.js"
import { mailNotice } from "../domain/MailNotice.js"
import { parentProcess } from "../os/parentProcess.js"

const ancestorAgent = (tree: BusTree, pidsDir: string): string | undefined => {
  if (!checkDirectory(tree, pidsDir, false)) return undefined
  let pid = process.pid
  for (let hop = 0; hop < 32 && pid > 1; hop++) {
    const read = readBusFile(join(pidsDir, String(pid)), { maxBytes: 4096 })
    const id = read._tag === "Text" ? read.text.trim() : ""
    if (id !== "") return id
    const parent = parentProcess(pid)
    if (parent === undefined) return undefined
    pid = parent
  }
  return undefined
}

/**
 * The per-prompt and per-tool hooks without loading Effect or SQLite: for a safe bus dir and an agent known from
 * HELIOY_AGENT_ID (not for Codex, whose daemon's environment may be another session's) or an ancestor's pid file, the
 * hook's whole stdout ("" when no mail waits and nothing awaits an acknowledgement, else the additionalContext JSON
 * naming the senders, urgent ones first, and the count awaiting acknowledgement). Every directory is checked and every
 * file read as the server does (no link followed, no FIFO opened for blocking). Undefined when the agent cannot be told
 * this cheaply, so the full handler runs: also whenever HELIOY_BUS_URL is set (the mail is then in PostgreSQL, not in
 * the bus dir). Never throws.
 */
export const fastMailContext = (env: NodeJS.ProcessEnv, hookEventName: string): string | undefined => {
  if ((env.HELIOY_BUS_URL ?? "").trim() !== "") return undefined
  try {
    const busDir = resolve(env.HELIOY_BUS_DIR || join(homedir(), ".helioy", "bus"))
    const tree = openBusTree(busDir)
    const fromEnv = env.HELIOY_RUNTIME === "codex" ? undefined : env.HELIOY_AGENT_ID
    const agentId = fromEnv || ancestorAgent(tree, join(busDir, "pids"))
    if (!agentId || agentIdProblem(agentId) !== undefined) return undefined
    const inbox = join(busDir, "inbox", agentId)
    if (!checkDirectory(tree, inbox, false)) return ""
    const names = fs.readdirSync(inbox).filter(isMessageFileName).sort()
    const unread = names.map((name) => {
      const head = readMessageHead(join(inbox, name))
      return { from: head?.from ?? "unknown", priority: head?.priority ?? "normal" }
    })
    const notice = mailNotice(agentId, unread, awaitingCount(tree, inbox))
    return notice === "" ? "" : JSON.stringify({ hookSpecificOutput: { hookEventName, additionalContext: notice } })
  } catch {
    return undefined
  }
}
