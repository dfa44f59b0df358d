import { Context, type Effect, type Option } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import type { AgentRegistration, AgentRow } from "../domain/AgentRecord.js"
import type { WakeRecord } from "../domain/Wake.js"
import type { RegistryUnavailable } from "../errors/stores.js"

/** Everything the registry knows of which panes exist, for registration rules that depend on liveness. */
export type LivePanes = Option.Option<ReadonlySet<string>>

/** The times of one nudge claim, as reference timestamps. */
export interface NudgeSlot {
  readonly now: string
  readonly since: string
  readonly forgetBefore: string
}

/** What the registry says of its own database, read without changing anything. */
export interface RegistryHealth {
  /** The latest schema migration applied; none when no migration ever ran (a database the Python helioy-bus made). */
  readonly migration: Option.Option<number>
  /** The latest schema migration this helioy-bus knows. */
  readonly latestMigration: number
  /** How many agents are registered. */
  readonly agents: number
  /** SQLite's `quick_check`: `ok`, or the problems it found. */
  readonly integrity: string
}

/** The shared registry of agents and the nudge log. */
export interface RegistryShape {
  /**
   * Registers an agent under the reference's continuity, takeover and eviction rules in one write transaction; returns
   * the stored row.
   */
  readonly register: (
    registration: AgentRegistration,
    livePanes: LivePanes,
    now: string
  ) => Effect.Effect<AgentRow, RegistryUnavailable>
  /** The row of one agent, if registered. */
  readonly get: (agentId: AgentId) => Effect.Effect<Option.Option<AgentRow>, RegistryUnavailable>
  /**
   * Every row, oldest registration first; rows another version wrote under an id this one refuses are skipped with a
   * warning.
   */
  readonly list: Effect.Effect<ReadonlyArray<AgentRow>, RegistryUnavailable>
  /** Deletes one agent's row; succeeds with whether a row existed. */
  readonly unregister: (agentId: AgentId) => Effect.Effect<boolean, RegistryUnavailable>
  /** Deletes several rows at once (dead agents). */
  readonly remove: (agentIds: ReadonlyArray<AgentId>) => Effect.Effect<void, RegistryUnavailable>
  /** Sets `last_seen`; succeeds with whether the agent is registered. */
  readonly heartbeat: (agentId: AgentId, now: string) => Effect.Effect<boolean, RegistryUnavailable>
  /** Rewrites the tmux address of agents whose pane moved. */
  readonly readdress: (
    moves: ReadonlyArray<{ readonly agentId: AgentId; readonly tmuxTarget: string }>
  ) => Effect.Effect<void, RegistryUnavailable>
  /** The most recently seen agent in a pane. */
  readonly findByPane: (paneId: string) => Effect.Effect<Option.Option<AgentRow>, RegistryUnavailable>
  /** The most recently seen agent with a runtime session id. */
  readonly findBySession: (sessionId: string) => Effect.Effect<Option.Option<AgentRow>, RegistryUnavailable>
  /**
   * Atomically takes the nudge slot of an agent unless it was nudged after `slot.since`, dropping log rows older than
   * `slot.forgetBefore`; succeeds with whether it was taken.
   */
  readonly claimNudge: (agentId: AgentId, slot: NudgeSlot) => Effect.Effect<boolean, RegistryUnavailable>
  /** Gives back a nudge slot taken at `at` (the nudge could not be typed). */
  readonly releaseNudge: (agentId: AgentId, at: string) => Effect.Effect<void, RegistryUnavailable>
  /** When the agent's nudge slot was last taken, if it ever was (and not yet forgotten). */
  readonly lastNudge: (agentId: AgentId) => Effect.Effect<Option.Option<string>, RegistryUnavailable>
  /**
   * Records a runtime session id (a Codex thread, a Claude session) as the agent's; succeeds with whether the agent is
   * registered.
   */
  readonly bindSession: (agentId: AgentId, sessionId: string) => Effect.Effect<boolean, RegistryUnavailable>
  /** Records wakes, dropping records older than `forgetBefore`. */
  readonly recordWakes: (
    wakes: ReadonlyArray<WakeRecord>,
    forgetBefore: string
  ) => Effect.Effect<void, RegistryUnavailable>
  /** The recorded wakes of an agent, oldest first. */
  readonly wakesOf: (agentId: AgentId) => Effect.Effect<ReadonlyArray<WakeRecord>, RegistryUnavailable>
  /** The wakes recorded at or after `since` (a reference timestamp), oldest first, at most `limit`. */
  readonly wakesSince: (since: string, limit: number) => Effect.Effect<ReadonlyArray<WakeRecord>, RegistryUnavailable>
  /** The recorded wakes for one message, oldest first. */
  readonly wakesFor: (messageId: string) => Effect.Effect<ReadonlyArray<WakeRecord>, RegistryUnavailable>
  /** The schema migration, agent count and integrity of the registry, read only (for `helioy-bus doctor`). */
  readonly health: Effect.Effect<RegistryHealth, RegistryUnavailable>
}

/** The agent registry. */
export class Registry extends Context.Tag("helioy/Registry")<Registry, RegistryShape>() {}
