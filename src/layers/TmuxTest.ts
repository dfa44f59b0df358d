import { Context, Effect, Layer, Ref } from "effect"
import { type PaneInfo, Tmux, TmuxCommandFailed, type TmuxShape, TmuxUnavailable } from "../services/Tmux.js"

/** One recorded tmux call. */
export interface TmuxCall {
  readonly op: "listPanes" | "pane" | "cancelMode" | "typeLiteral" | "pressEnter" | "capture" | "ensureGlobalHook"
  readonly target?: string
  readonly text?: string
}

/** Controls of the recording tmux: the panes it reports, the calls it saw, and whether tmux is missing. */
export interface TmuxControls {
  readonly panes: Ref.Ref<ReadonlyArray<PaneInfo>>
  readonly calls: Ref.Ref<ReadonlyArray<TmuxCall>>
  readonly missing: Ref.Ref<boolean>
  readonly failSends: Ref.Ref<boolean>
}

/** The controls of the recording tmux. */
export class TmuxTestControl extends Context.Tag("helioy/TmuxTestControl")<TmuxTestControl, TmuxControls>() {}

/** Builds a recording tmux over a list of fake panes; typed text is appended to nothing, only recorded. */
export const make = Effect.gen(function*() {
  const control: TmuxControls = {
    panes: yield* Ref.make<ReadonlyArray<PaneInfo>>([]),
    calls: yield* Ref.make<ReadonlyArray<TmuxCall>>([]),
    missing: yield* Ref.make(false),
    failSends: yield* Ref.make(false)
  }
  const record = (call: TmuxCall) => Ref.update(control.calls, (calls) => [...calls, call])
  const available = Effect.flatMap(Ref.get(control.missing), (missing) =>
    missing ? Effect.fail(new TmuxUnavailable({ reason: "tmux is not installed (test)" })) : Effect.void)
  const find = (target: string) =>
    Effect.flatMap(Ref.get(control.panes), (panes) => {
      const pane = panes.find((p) => p.paneId === target || p.target === target)
      return pane
        ? Effect.succeed(pane)
        : Effect.fail(new TmuxCommandFailed({ args: ["display-message", target], exitCode: 1, stderr: `can't find pane: ${target}` }))
    })
  const send = (call: TmuxCall) =>
    Effect.gen(function*() {
      yield* available
      yield* find(call.target!)
      if (yield* Ref.get(control.failSends)) {
        return yield* new TmuxCommandFailed({ args: ["send-keys"], exitCode: 1, stderr: "send failed (test)" })
      }
      yield* record(call)
    })
  const tmux: TmuxShape = {
    listPanes: Effect.zipRight(available, Effect.zipRight(record({ op: "listPanes" }), Ref.get(control.panes))),
    pane: (target) => Effect.zipRight(available, Effect.zipRight(record({ op: "pane", target }), find(target))),
    cancelMode: (paneId) => send({ op: "cancelMode", target: paneId }),
    typeLiteral: (paneId, text) => send({ op: "typeLiteral", target: paneId, text }),
    pressEnter: (paneId) => send({ op: "pressEnter", target: paneId }),
    ensureGlobalHook: (hook, command) => Effect.zipRight(available, record({ op: "ensureGlobalHook", target: hook, text: command })),
    capture: (paneId) => Effect.zipRight(available, Effect.as(find(paneId), ""))
  }
  return { tmux, control }
})

/** A recording tmux, with its controls. */
export const layerTest = Layer.effectContext(
  Effect.map(make, ({ control, tmux }) => Context.make(Tmux, tmux).pipe(Context.add(TmuxTestControl, control)))
)
