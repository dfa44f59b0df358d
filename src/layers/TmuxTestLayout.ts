/** The recording tmux's simulated layout: finding panes and windows, and readdressing panes when windows change. */
import { Effect, Ref } from "effect"
import { TmuxCommandFailed } from "../errors/tmux.js"
import type { SimulatedWindow, TmuxControls } from "./TmuxTestControl.js"

/** Lookups and updates over the simulated panes and windows of `control`; a missing one fails as tmux would. */
export const simulatedLayout = (control: TmuxControls) => {
  const commandFailed = (op: string, stderr: string) => new TmuxCommandFailed({ args: [op], exitCode: 1, stderr })
  const find = (target: string) =>
    Effect.flatMap(Ref.get(control.panes), (panes) => {
      const pane = panes.find((p) => p.paneId === target || p.target === target)
      return pane
        ? Effect.succeed(pane)
        : Effect.fail(
          new TmuxCommandFailed({
            args: ["display-message", target],
            exitCode: 1,
            stderr: `can't find pane: ${target}`
          })
        )
    })
  const findWindow = (target: string) =>
    Effect.flatMap(Ref.get(control.windows), (windows) => {
      const window = windows.find((w) =>
        w.windowId === target || w.paneIds.includes(target) || `${w.session}:=${w.name}` === target
      )
      return window ? Effect.succeed(window) : Effect.fail(commandFailed("find-window", `can't find window: ${target}`))
    })
  /** Rewrites the windows, then readdresses every simulated pane (`session:index.position`) and drops the gone ones. */
  const updateWindows = (change: (windows: ReadonlyArray<SimulatedWindow>) => ReadonlyArray<SimulatedWindow>) =>
    Effect.gen(function*() {
      const before = yield* Ref.get(control.windows)
      const after = change(before).filter((window) => window.paneIds.length > 0)
      yield* Ref.set(control.windows, after)
      const simulated = new Set(before.flatMap((window) => window.paneIds))
      const targets = new Map(
        after.flatMap((window) =>
          window.paneIds.map((paneId, position) => [paneId, `${window.session}:${window.index}.${position}`] as const)
        )
      )
      yield* Ref.update(control.panes, (panes) =>
        panes.flatMap((pane) => {
          const target = targets.get(pane.paneId)
          if (target !== undefined) return [{ ...pane, target }]
          return simulated.has(pane.paneId) ? [] : [pane]
        }))
    })
  return { find, findWindow, updateWindows }
}
