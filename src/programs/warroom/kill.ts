/** Killing warrooms: their tmux windows, their members' registrations, their records. */
import { Effect, Either, Option } from "effect"
import type { Warroom } from "../../domain/Warroom.js"
import { InvalidInput } from "../../errors/bus.js"
import type { RegistryUnavailable } from "../../errors/stores.js"
import type { TmuxError } from "../../errors/tmux.js"
import type { Registry } from "../../services/Registry.js"
import { type PaneInfo, Tmux } from "../../services/Tmux.js"
import { Warrooms } from "../../services/Warrooms.js"
import { forgetAgents, livePanes } from "./members.js"
import { tmuxFailureText } from "./panes.js"

/**
 * Closes a warroom's tmux window: the window holding its first live member pane, then any member pane living
 * elsewhere; a reference-made warroom without pane ids by exact window name. Best effort: returns what failed.
 */
const closeWindow = (warroom: Warroom, live: ReadonlyMap<string, PaneInfo>) =>
  Effect.gen(function*() {
    const tmux = yield* Tmux
    const alive = warroom.members.filter((m) => live.has(m.pane_id))
    const legacy = warroom.members.length > 0 && warroom.members.every((m) => m.pane_id === "")
    const window: Effect.Effect<string | undefined, TmuxError> = alive[0] === undefined
      ? Effect.succeed(legacy ? `${warroom.tmux_session}:=${warroom.tmux_window}` : undefined)
      : tmux.windowOf(alive[0].pane_id)
    const outcome = yield* Effect.either(
      Effect.flatMap(window, (target) => target === undefined ? Effect.void : tmux.killWindow(target))
    )
    yield* Effect.forEach(alive.slice(1), (m) => Effect.ignore(tmux.killPane(m.pane_id)), { discard: true })
    return Either.isLeft(outcome) && !legacy ? Option.some(tmuxFailureText(outcome.left)) : Option.none<string>()
  })

/** What kill reports: the warrooms it removed, and the windows it could not close. */
export interface Killed {
  readonly killed: ReadonlyArray<string>
  readonly errors: ReadonlyArray<{ readonly warroom_id: string; readonly error: string }>
}

/** Kills warrooms: their windows, their members' registry rows, their records. */
const killAll = (
  targets: ReadonlyArray<Warroom>
): Effect.Effect<Killed, RegistryUnavailable, Warrooms | Tmux | Registry> =>
  Effect.gen(function*() {
    const warrooms = yield* Warrooms
    if (targets.length === 0) return { killed: [], errors: [] }
    const live = yield* Effect.orElseSucceed(livePanes, () => new Map<string, PaneInfo>())
    const errors: Array<{ warroom_id: string; error: string }> = []
    for (const warroom of targets) {
      const failure = yield* closeWindow(warroom, live)
      if (Option.isSome(failure)) errors.push({ warroom_id: warroom.warroom_id, error: failure.value })
      yield* forgetAgents(warroom.members)
      yield* warrooms.delete(warroom.warroom_id)
    }
    return { killed: targets.map((warroom) => warroom.warroom_id), errors }
  })

/** What to kill: one warroom by name (whatever its status), or every warroom. */
export type KillTarget = { readonly name: string } | { readonly all: true }

/** `warroom_kill`: kills the named warroom (or all, killed ones included); an unknown name kills nothing. */
export const kill = Effect.fn("warroom.kill")(function*(target: KillTarget) {
  const warrooms = yield* Warrooms
  if ("all" in target) return yield* killAll(yield* warrooms.list)
  if (target.name.trim() === "") {
    return yield* new InvalidInput({ field: "name", reason: "Provide a warroom name or set kill_all=True." })
  }
  return yield* killAll(Option.toArray(yield* warrooms.get(target.name.trim())))
})
