import { Effect, Layer, Option, Ref } from "effect"
import type { AgentRow } from "../domain/AgentRecord.js"
import { planRegistration } from "../domain/Registration.js"
import type { WakeRecord } from "../domain/Wake.js"
import { Registry, type RegistryShape } from "../services/Registry.js"
import { latestMigration } from "./migrations/index.js"

const latest = (rows: ReadonlyArray<AgentRow>) =>
  Option.fromNullable([...rows].sort((a, b) => b.last_seen.localeCompare(a.last_seen))[0])

/** Builds an in-memory registry with the same rules as the SQLite one (rows in insertion order, a nudge log). */
export const make = Effect.gen(function*() {
  const agents = yield* Ref.make<ReadonlyArray<AgentRow>>([])
  const nudges = yield* Ref.make<ReadonlyArray<{ readonly agentId: string; readonly at: string }>>([])
  const wakes = yield* Ref.make<ReadonlyArray<WakeRecord>>([])

  return {
    register: (registration, livePanes, now) =>
      Ref.modify(agents, (rows) => {
        const plan = planRegistration(registration, rows, livePanes, now)
        const kept = rows.filter((row) => !plan.evicted.includes(row.agent_id))
        const index = kept.findIndex((row) => row.agent_id === plan.row.agent_id)
        const next = index === -1 ? [...kept, plan.row] : kept.map((row, i) => i === index ? plan.row : row)
        return [plan.row, next]
      }),
    get: (agentId) =>
      Effect.map(Ref.get(agents), (rows) => Option.fromNullable(rows.find((row) => row.agent_id === agentId))),
    list: Effect.map(
      Ref.get(agents),
      (rows) => [...rows].sort((a, b) => a.registered_at.localeCompare(b.registered_at))
    ),
    unregister: (agentId) =>
      Ref.modify(
        agents,
        (rows) => [rows.some((row) => row.agent_id === agentId), rows.filter((row) => row.agent_id !== agentId)]
      ),
    remove: (agentIds) => Ref.update(agents, (rows) => rows.filter((row) => !agentIds.includes(row.agent_id))),
    heartbeat: (agentId, now) =>
      Ref.modify(agents, (rows) => [
        rows.some((row) => row.agent_id === agentId),
        rows.map((row) => row.agent_id === agentId ? { ...row, last_seen: now } : row)
      ]),
    readdress: (moves) =>
      Ref.update(agents, (rows) =>
        rows.map((row) => {
          const move = moves.find((m) => m.agentId === row.agent_id)
          return move ? { ...row, tmux_target: move.tmuxTarget } : row
        })),
    findByPane: (paneId) => Effect.map(Ref.get(agents), (rows) => latest(rows.filter((row) => row.pane_id === paneId))),
    findBySession: (sessionId) =>
      Effect.map(Ref.get(agents), (rows) => latest(rows.filter((row) => row.session_id === sessionId))),
    claimNudge: (agentId, slot) =>
      Ref.modify(nudges, (log) => {
        const recent = log.some((entry) => entry.agentId === agentId && entry.at > slot.since)
        if (recent) return [false, log]
        return [true, [...log.filter((entry) => entry.at >= slot.forgetBefore), { agentId, at: slot.now }]]
      }),
    releaseNudge: (agentId, at) =>
      Ref.update(nudges, (log) => log.filter((entry) => !(entry.agentId === agentId && entry.at === at))),
    lastNudge: (agentId) =>
      Effect.map(
        Ref.get(nudges),
        (log) =>
          Option.fromNullable(log.filter((entry) => entry.agentId === agentId).map((entry) => entry.at).sort().at(-1))
      ),
    bindSession: (agentId, sessionId) =>
      Ref.modify(agents, (rows) => [
        rows.some((row) => row.agent_id === agentId),
        rows.map((row) => row.agent_id === agentId ? { ...row, session_id: sessionId } : row)
      ]),
    recordWakes: (records, forgetBefore) =>
      Ref.update(wakes, (log) => [...log.filter((wake) => wake.at >= forgetBefore), ...records]),
    wakesOf: (agentId) => Effect.map(Ref.get(wakes), (log) => log.filter((wake) => wake.agentId === agentId)),
    wakesSince: (since, limit) =>
      Effect.map(Ref.get(wakes), (log) => log.filter((wake) => wake.at >= since).slice(0, limit)),
    wakesFor: (messageId) => Effect.map(Ref.get(wakes), (log) => log.filter((wake) => wake.messageId === messageId)),
    health: Effect.map(Ref.get(agents), (rows) => ({
      migration: Option.some(latestMigration),
      latestMigration,
      agents: rows.length,
      integrity: "ok"
    }))
  } satisfies RegistryShape
})

/** An in-memory registry. */
export const layerTest = Layer.effect(Registry, make)
