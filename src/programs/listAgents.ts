import { Clock, Duration, Effect, Option, Schema } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { type AgentRow, agentView } from "../domain/AgentRecord.js"
import { parseTimestampMillis } from "../domain/Timestamp.js"
import { BusConfig } from "../services/BusConfig.js"
import { Processes } from "../services/Processes.js"
import { Registry } from "../services/Registry.js"
import { Tmux } from "../services/Tmux.js"
import { decodeInput, OptionalText } from "./toolInput.js"

/** Arguments of `list_agents`, as decoded: text trimmed, "" where not given. */
const ListAgentsArgs = Schema.Struct({ tmux_filter: OptionalText, cwd_basename: OptionalText })

/** Arguments of `list_agents`. */
export type ListAgentsInput = typeof ListAgentsArgs.Encoded

const decodeListAgents = decodeInput(ListAgentsArgs)

const basename = (path: string) => {
  const trimmed = path.replace(/\/+$/, "")
  return trimmed.slice(trimmed.lastIndexOf("/") + 1)
}

/**
 * Reconciles the registry with what is alive (one tmux call: moved panes are readdressed, agents whose pane or
 * process is gone are dropped) and returns the live agents. Panes and processes are judged only for agents of this
 * host; an agent of another host is live while its heartbeat is younger than `staleAfter`, and a stale one is left
 * out (its own host's servers decide whether it is gone).
 */
export const reconcileAgents = Effect.fn("bus.reconcileAgents")(function*() {
  const registry = yield* Registry
  const tmux = yield* Tmux
  const processes = yield* Processes
  const { host, staleAfter } = yield* BusConfig
  const now = yield* Clock.currentTimeMillis
  const listed = yield* registry.list
  const isRemote = (row: AgentRow) => row.host !== "" && row.host !== host
  const fresh = (row: AgentRow) => now - (parseTimestampMillis(row.last_seen) ?? 0) <= Duration.toMillis(staleAfter)
  const remote = listed.filter((row) => isRemote(row) && fresh(row))
  const rows = listed.filter((row) => !isRemote(row))
  const needsTmux = rows.some((row) => row.pane_id !== "" || row.tmux_target !== "")
  const panes = needsTmux ? yield* Effect.option(tmux.listPanes) : Option.none()
  const byId = Option.map(
    panes,
    (list) => new Map(list.filter((pane) => !pane.dead).map((pane) => [pane.paneId, pane]))
  )
  const targets = Option.map(panes, (list) => new Set(list.filter((pane) => !pane.dead).map((pane) => pane.target)))
  const dead: Array<AgentId> = []
  const moves: Array<{ agentId: AgentId; tmuxTarget: string }> = []
  const alive: Array<AgentRow> = []
  for (const row of rows) {
    if (row.pane_id !== "") {
      if (Option.isNone(byId)) {
        alive.push(row)
        continue
      }
      const pane = byId.value.get(row.pane_id)
      if (pane === undefined) {
        dead.push(row.agent_id)
        continue
      }
      if (pane.target !== row.tmux_target) {
        moves.push({ agentId: row.agent_id, tmuxTarget: pane.target })
        alive.push({ ...row, tmux_target: pane.target })
        continue
      }
      alive.push(row)
    } else if (row.tmux_target !== "") {
      if (Option.isSome(targets) && !targets.value.has(row.tmux_target)) dead.push(row.agent_id)
      else alive.push(row)
    } else if (row.pid !== null && !(yield* processes.isAlive(row.pid))) {
      dead.push(row.agent_id)
    } else {
      alive.push(row)
    }
  }
  yield* registry.readdress(moves)
  yield* registry.remove(dead)
  const live = new Map([...alive, ...remote].map((row) => [row.agent_id, row]))
  return listed.flatMap((row) => {
    const found = live.get(row.agent_id)
    return found === undefined ? [] : [found]
  })
})

/** `list_agents`: the live agents, filtered; fails with RegistryUnavailable. */
export const listAgents = Effect.fn("bus.listAgents")(function*(given: ListAgentsInput) {
  const input = yield* decodeListAgents(given)
  const alive = yield* reconcileAgents()
  const filter = input.tmux_filter
  const prefix = filter === "" ? "" : filter.includes(":") ? `${filter}.` : `${filter}:`
  const cwdBase = input.cwd_basename === "" ? "" : basename(input.cwd_basename)
  return alive
    .filter((row) => prefix === "" || row.tmux_target.startsWith(prefix))
    .filter((row) => cwdBase === "" || basename(row.cwd) === cwdBase)
    .map(agentView)
})
