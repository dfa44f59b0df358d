/** Members, spawns and views of the recording tmux for warroom unit tests. */
import { Effect, Ref } from "effect"
import * as RuntimesLive from "../../src/layers/RuntimesLive.js"
import { type TmuxOp, TmuxTestControl } from "../../src/layers/TmuxTest.js"
import type { MemberSpec, SpawnInput } from "../../src/programs/warroom/index.js"
import * as Warroom from "../../src/programs/warroom/index.js"
import { Tmux } from "../../src/services/Tmux.js"

const runtimes = RuntimesLive.fromSettings(RuntimesLive.testSettings)

/** A member launched the way the CLI will: the role through its runtime adapter (`general`: the bare runtime). */
export const member = (role: string, overrides: Partial<MemberSpec> = {}): MemberSpec => {
  const runtime = overrides.runtime ?? "claude"
  const adapter = runtimes.get(runtime)
  const launch = adapter._tag === "Some"
    ? adapter.value.launch(role === "general" ? {} : { agentType: role })
    : { command: "nowhere", args: [], env: {}, program: "" }
  return { role, runtime, launch, cwd: "/work/proj", ...overrides }
}

/** A spawn of `members` named `name` in session `work`, tiled. */
export const spawnInput = (
  name: string,
  members: ReadonlyArray<MemberSpec>,
  overrides: Partial<SpawnInput> = {}
): SpawnInput => ({
  name,
  members,
  cwd: "/work/proj",
  layout: "tiled",
  session: "work",
  ...overrides
})

/** Spawns three members (backend, qa, general) as warroom `alpha`. */
export const spawnTrio = Warroom.spawn(
  spawnInput("alpha", [member("helioy-tools:backend"), member("qa", { runtime: "codex" }), member("general")])
)

/** The recorded tmux calls of some operations. */
export const callsOf = (...ops: ReadonlyArray<TmuxOp>) =>
  Effect.map(
    Effect.flatMap(TmuxTestControl, (control) => Ref.get(control.calls)),
    (calls) => calls.filter((call) => ops.includes(call.op))
  )

/** Forgets the recorded calls. */
export const clearCalls = Effect.flatMap(TmuxTestControl, (control) => Ref.set(control.calls, []))

/** The simulated windows. */
export const simulatedWindows = Effect.flatMap(TmuxTestControl, (control) => Ref.get(control.windows))

/** The panes the recording tmux reports. */
export const simulatedPanes = Effect.flatMap(TmuxTestControl, (control) => Ref.get(control.panes))

/** How a simulated pane was launched. */
export const launchOf = (paneId: string) =>
  Effect.map(
    Effect.flatMap(TmuxTestControl, (control) => Ref.get(control.launches)),
    (launches) => launches.get(paneId)
  )

/** Makes `op` fail after `successes` more successful calls. */
export const failAfter = (op: TmuxOp, successes: number) =>
  Effect.flatMap(TmuxTestControl, (control) => Ref.update(control.failAfter, (map) => new Map(map).set(op, successes)))

/** Closes a pane as if its runtime had exited: tmux removes it and renumbers the panes after it. */
export const closePane = (paneId: string) => Effect.flatMap(Tmux, (tmux) => tmux.killPane(paneId))
