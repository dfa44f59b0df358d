/** Where a warroom opens: the tmux session of the caller, and the caller's directory. */
import { Effect, Option } from "effect"
import { NotInTmux } from "../../errors/warroom.js"
import { Identity } from "../../services/Identity.js"
import { Registry } from "../../services/Registry.js"
import { SessionEnv } from "../../services/SessionEnv.js"
import { Tmux } from "../../services/Tmux.js"
import { tmuxFailureText } from "./panes.js"

/** The caller's tmux session and, when it registered, its working directory. */
export interface Caller {
  readonly session: string
  readonly cwd: Option.Option<string>
}

const notInTmux = "Not inside a tmux session. Warroom spawn requires tmux: run it from a tmux pane (TMUX_PANE unset)."

/**
 * Finds the caller: its registered agent's pane gives the session (and its cwd the default directory); else the pane
 * in TMUX_PANE; fails with NotInTmux when there is neither, or when tmux does not know the pane.
 */
export const findCaller = Effect.gen(function*() {
  const identity = yield* Identity
  const registry = yield* Registry
  const tmux = yield* Tmux
  const me = yield* identity.resolve
  const row = yield* Effect.orElseSucceed(registry.get(me.agentId), () => Option.none())
  const cwd = Option.map(row, (agent) => agent.cwd).pipe(Option.filter((dir) => dir.startsWith("/")))
  if (Option.isSome(row) && row.value.pane_id !== "") {
    const session = yield* Effect.option(tmux.sessionOfPane(row.value.pane_id))
    if (Option.isSome(session)) return { session: session.value, cwd } satisfies Caller
  }
  const pane = (yield* SessionEnv).tmuxPane
  if (pane.trim() === "") return yield* new NotInTmux({ reason: notInTmux })
  const session = yield* tmux.sessionOfPane(pane.trim()).pipe(
    Effect.mapError((error) =>
      new NotInTmux({ reason: `Cannot determine tmux session of pane ${pane}: ${tmuxFailureText(error)}` })
    )
  )
  return { session, cwd } satisfies Caller
})
