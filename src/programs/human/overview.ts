import { Effect } from "effect"
import * as os from "node:os"
import { Mailbox } from "../../services/Mailbox.js"
import { agentIdArgument } from "../caller.js"
import { listAgents } from "../listAgents.js"

/** One agent as `helioy-bus agents` shows it. */
export interface AgentOverview {
  readonly agent_id: string
  readonly agent_type: string
  readonly runtime: string
  readonly host: string
  readonly pane_id: string
  readonly tmux_target: string
  readonly alive: boolean
  readonly last_seen: string
  readonly unread: number
  readonly waiter: boolean
}

/**
 * Who is on the bus, reconciled with what is alive (as `list_agents`), optionally in one tmux session[:window], each
 * with its unread count and whether a mail waiter holds its inbox; fails with a store error.
 */
export const agentsOverview = Effect.fn("human.agentsOverview")(function*(filter: string) {
  const mailbox = yield* Mailbox
  const rows = yield* listAgents({ tmux_filter: filter })
  return yield* Effect.forEach(rows, (row) =>
    Effect.gen(function*() {
      const id = yield* agentIdArgument("agent_id", row.agent_id)
      const unread = yield* Effect.orElseSucceed(mailbox.pending(id), () => [])
      return {
        agent_id: row.agent_id,
        agent_type: row.agent_type,
        runtime: row.runtime,
        host: "host" in row && typeof row.host === "string" && row.host !== "" ? row.host : os.hostname(),
        pane_id: row.pane_id,
        tmux_target: row.tmux_target,
        alive: true,
        last_seen: row.last_seen,
        unread: unread.length,
        waiter: yield* mailbox.hasWaiter(id)
      } satisfies AgentOverview
    }))
})

/** The unread messages of an agent, in full, without claiming them; fails with InvalidInput or a store error. */
export const peekInbox = Effect.fn("human.peekInbox")(function*(agentId: string) {
  const id = yield* agentIdArgument("agent", agentId)
  const mailbox = yield* Mailbox
  const held = yield* mailbox.history(id)
  return held.filter((entry) => entry.state === "unread").map((entry) => entry.message)
})
