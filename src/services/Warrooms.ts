import { Context, type Effect, type Option } from "effect"
import type { Warroom, WarroomMemberRow } from "../domain/Warroom.js"
import type { RegistryUnavailable } from "../errors/stores.js"
import type { MemberNotFound, WarroomNotFound } from "../errors/warroom.js"

/** A warroom to record: its name (the id), where its tmux window lives, and its settings. */
export interface NewWarroom {
  readonly warroomId: string
  readonly tmuxSession: string
  /** The window's name (the reference's meaning of `tmux_window`). */
  readonly tmuxWindow: string
  readonly cwd: string
  readonly layout: string
  readonly runtimePolicy: string | null
  /** JSON text (the window id `@N`, see `encodeMetadata`). */
  readonly metadata: string | null
}

/** A member to record, `pending` until its agent registers. */
export interface NewMember {
  readonly desiredRuntime: string
  readonly desiredRole: string
  readonly desiredRepo: string | null
  readonly spawnOrder: number
  readonly tmuxTarget: string
  readonly paneId: string
}

/** What became of a warroom when a member left it. */
export interface MemberRemoved {
  readonly remaining: number
  /** Whether that was the last member, so the warroom is now `killed`. */
  readonly closed: boolean
}

/** The warrooms and their members (tables `warrooms`, `warroom_members`); each method is one transaction. */
export interface WarroomsShape {
  /**
   * Records a warroom with its members (new 16-hex member ids, state `pending`), replacing any warroom of the same name
   * and its members.
   */
  readonly create: (
    warroom: NewWarroom,
    members: ReadonlyArray<NewMember>,
    now: string
  ) => Effect.Effect<Warroom, RegistryUnavailable>
  /** One warroom whatever its status, with its members in spawn order. */
  readonly get: (warroomId: string) => Effect.Effect<Option.Option<Warroom>, RegistryUnavailable>
  /** Every warroom, active or killed, oldest first. */
  readonly list: Effect.Effect<ReadonlyArray<Warroom>, RegistryUnavailable>
  /** The active warrooms, oldest first. */
  readonly listActive: Effect.Effect<ReadonlyArray<Warroom>, RegistryUnavailable>
  /** Adds a member to an active warroom; fails with WarroomNotFound when there is none of that name. */
  readonly addMember: (
    warroomId: string,
    member: NewMember,
    now: string
  ) => Effect.Effect<WarroomMemberRow, RegistryUnavailable | WarroomNotFound>
  /** Removes a member; the warroom becomes `killed` (row kept) when it was the last; fails with MemberNotFound. */
  readonly removeMember: (
    warroomId: string,
    memberId: string
  ) => Effect.Effect<MemberRemoved, RegistryUnavailable | MemberNotFound>
  /**
   * Records a member's registered agent (`active`) or its absence (`pending`) and its current tmux address; succeeds
   * with whether anything changed.
   */
  readonly setMemberAgent: (
    memberId: string,
    seen: { readonly agentInstanceId: string | null; readonly tmuxTarget: string },
    now: string
  ) => Effect.Effect<boolean, RegistryUnavailable>
  /** Marks a warroom `killed`; succeeds with whether it was active. */
  readonly close: (warroomId: string) => Effect.Effect<boolean, RegistryUnavailable>
  /** Deletes a warroom and its members; succeeds with whether it existed. */
  readonly delete: (warroomId: string) => Effect.Effect<boolean, RegistryUnavailable>
}

/** The warroom store. */
export class Warrooms extends Context.Tag("helioy/Warrooms")<Warrooms, WarroomsShape>() {}
