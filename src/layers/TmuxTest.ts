import { Context, Effect, Layer, Option, Ref } from "effect"
import { fallbackShells, programKind } from "../domain/PaneProgram.js"
import { TmuxCommandFailed, TmuxUnavailable } from "../errors/tmux.js"
import { type PaneInfo, type PaneLaunch, type SpawnedPane, Tmux, type TmuxShape } from "../services/Tmux.js"
import {
  type SimulatedWindow,
  type TmuxCall,
  type TmuxControls,
  type TmuxOp,
  TmuxTestControl
} from "./TmuxTestControl.js"
import { simulatedLayout } from "./TmuxTestLayout.js"
import { pressEnterInTui, renderTui, type SimulatedTui, typeIntoTui } from "./TmuxTestScreen.js"

export {
  type SimulatedWindow,
  type TmuxCall,
  type TmuxControls,
  type TmuxOp,
  TmuxTestControl
} from "./TmuxTestControl.js"

/** The version the recording tmux reports unless told otherwise. */
export const testTmuxVersion = "tmux 3.4"

const idNumber = (id: string) => Number(id.slice(1)) || 0

/** Builds a recording tmux over a list of fake panes; typed text is only recorded, windows and panes are simulated. */
export const make = Effect.gen(function*() {
  const control: TmuxControls = {
    panes: yield* Ref.make<ReadonlyArray<PaneInfo>>([]),
    calls: yield* Ref.make<ReadonlyArray<TmuxCall>>([]),
    missing: yield* Ref.make(false),
    failSends: yield* Ref.make(false),
    windows: yield* Ref.make<ReadonlyArray<SimulatedWindow>>([]),
    launches: yield* Ref.make<ReadonlyMap<string, PaneLaunch>>(new Map()),
    failAfter: yield* Ref.make<ReadonlyMap<TmuxOp, number>>(new Map()),
    screens: yield* Ref.make<ReadonlyMap<string, SimulatedTui>>(new Map()),
    version: yield* Ref.make(testTmuxVersion)
  }
  const onScreen = (paneId: string, change: (tui: SimulatedTui) => SimulatedTui) =>
    Ref.update(control.screens, (screens) => {
      const tui = screens.get(paneId)
      return tui === undefined ? screens : new Map(screens).set(paneId, change(tui))
    })
  // Like tmux, never hands out an id twice: the next id is past every id used so far.
  const lastIds = yield* Ref.make({ pane: 0, window: 0 })
  const record = (call: TmuxCall) => Ref.update(control.calls, (calls) => [...calls, call])
  const commandFailed = (op: string, stderr: string) => new TmuxCommandFailed({ args: [op], exitCode: 1, stderr })
  const available = Effect.flatMap(
    Ref.get(control.missing),
    (missing) => missing ? Effect.fail(new TmuxUnavailable({ reason: "tmux is not installed (test)" })) : Effect.void
  )
  /** Checks availability and the scripted failures of `op`, then records the call. */
  const enter = (call: TmuxCall) =>
    Effect.gen(function*() {
      yield* available
      const left = (yield* Ref.get(control.failAfter)).get(call.op)
      if (left !== undefined) {
        if (left <= 0) return yield* commandFailed(call.op, `${call.op} failed (test)`)
        yield* Ref.update(control.failAfter, (map) => new Map(map).set(call.op, left - 1))
      }
      yield* record(call)
    })
  const { find, findWindow, updateWindows } = simulatedLayout(control)
  const newPane = (launch: PaneLaunch) =>
    Effect.gen(function*() {
      const panes = yield* Ref.get(control.panes)
      const last = yield* Ref.get(lastIds)
      const number = panes.reduce((max, pane) => Math.max(max, idNumber(pane.paneId)), last.pane) + 1
      yield* Ref.set(lastIds, { ...last, pane: number })
      const paneId = `%${number}`
      const pane: PaneInfo = {
        paneId,
        target: "",
        title: "",
        inMode: false,
        dead: false,
        command: launch.command[0] ?? ""
      }
      yield* Ref.set(control.panes, [...panes, pane])
      yield* Ref.update(control.launches, (map) => new Map(map).set(paneId, launch))
      return paneId
    })
  const spawned = (paneId: string) =>
    Effect.gen(function*() {
      const window = yield* findWindow(paneId)
      const pane = yield* find(paneId)
      return { ...pane, windowId: window.windowId } satisfies SpawnedPane
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
    version: Effect.zipRight(available, Ref.get(control.version)),
    listPanes: Effect.zipRight(available, Effect.zipRight(record({ op: "listPanes" }), Ref.get(control.panes))),
    pane: (target) => Effect.zipRight(available, Effect.zipRight(record({ op: "pane", target }), find(target))),
    cancelMode: (paneId) => send({ op: "cancelMode", target: paneId }),
    typeLiteral: (paneId, text) =>
      Effect.zipRight(
        send({ op: "typeLiteral", target: paneId, text }),
        onScreen(paneId, (tui) => typeIntoTui(tui, text))
      ),
    pressEnter: (paneId) =>
      Effect.zipRight(send({ op: "pressEnter", target: paneId }), onScreen(paneId, pressEnterInTui)),
    ensureGlobalHook: (hook, command) =>
      Effect.zipRight(available, record({ op: "ensureGlobalHook", target: hook, text: command })),
    capture: (paneId) =>
      Effect.zipRight(
        Effect.zipRight(available, find(paneId)),
        Effect.map(Ref.get(control.screens), (screens) => {
          const tui = screens.get(paneId)
          return tui === undefined ? "" : renderTui(tui)
        })
      ),
    newWindow: ({ session, name, ...launch }) =>
      Effect.gen(function*() {
        yield* enter({ op: "newWindow", target: session, text: name, launch })
        const windows = yield* Ref.get(control.windows)
        const paneId = yield* newPane(launch)
        const inSession = windows.filter((window) => window.session === session)
        const last = yield* Ref.get(lastIds)
        const number = windows.reduce((max, w) => Math.max(max, idNumber(w.windowId)), last.window) + 1
        yield* Ref.set(lastIds, { ...last, window: number })
        const window: SimulatedWindow = {
          windowId: `@${number}`,
          session,
          name,
          index: inSession.reduce((max, w) => Math.max(max, w.index), 0) + 1,
          paneIds: [paneId],
          options: {},
          layout: ""
        }
        yield* updateWindows((all) => [...all, window])
        return yield* spawned(paneId)
      }),
    splitWindow: ({ target, ...launch }) =>
      Effect.gen(function*() {
        yield* enter({ op: "splitWindow", target, launch })
        const window = yield* findWindow(target)
        const paneId = yield* newPane(launch)
        const after = target.startsWith("%") ? window.paneIds.indexOf(target) : 0
        const paneIds = [...window.paneIds.slice(0, after + 1), paneId, ...window.paneIds.slice(after + 1)]
        yield* updateWindows((all) => all.map((w) => w.windowId === window.windowId ? { ...w, paneIds } : w))
        return yield* spawned(paneId)
      }),
    signal: (channel) => enter({ op: "signal", target: channel }),
    selectLayout: (target, layout) =>
      Effect.gen(function*() {
        yield* enter({ op: "selectLayout", target, text: layout })
        const window = yield* findWindow(target)
        yield* updateWindows((all) => all.map((w) => w.windowId === window.windowId ? { ...w, layout } : w))
      }),
    setPaneTitle: (paneId, title) =>
      Effect.gen(function*() {
        yield* enter({ op: "setPaneTitle", target: paneId, text: title })
        yield* find(paneId)
        yield* Ref.update(control.panes, (panes) =>
          panes.map((pane) => pane.paneId === paneId ? { ...pane, title } : pane))
      }),
    setWindowOption: (target, option, value) =>
      Effect.gen(function*() {
        yield* enter({ op: "setWindowOption", target, text: `${option} ${value}` })
        const window = yield* findWindow(target)
        yield* updateWindows((all) =>
          all.map((w) => w.windowId === window.windowId ? { ...w, options: { ...w.options, [option]: value } } : w)
        )
      }),
    killPane: (paneId) =>
      Effect.gen(function*() {
        yield* enter({ op: "killPane", target: paneId })
        yield* find(paneId)
        yield* Ref.update(control.panes, (panes) => panes.filter((pane) => pane.paneId !== paneId))
        yield* updateWindows((all) => all.map((w) => ({ ...w, paneIds: w.paneIds.filter((id) => id !== paneId) })))
      }),
    killWindow: (target) =>
      Effect.gen(function*() {
        yield* enter({ op: "killWindow", target })
        const window = yield* findWindow(target)
        yield* updateWindows((all) => all.filter((w) => w.windowId !== window.windowId))
      }),
    windowOf: (paneId) =>
      Effect.gen(function*() {
        yield* enter({ op: "windowOf", target: paneId })
        yield* find(paneId)
        return (yield* findWindow(paneId)).windowId
      }),
    sessionOfPane: (paneId) =>
      Effect.zipRight(
        enter({ op: "sessionOfPane", target: paneId }),
        Effect.map(find(paneId), (pane) => pane.target.slice(0, pane.target.lastIndexOf(":")))
      ),
    exitStatusOf: (paneId) =>
      Effect.zipRight(
        available,
        Effect.map(find(paneId), (found): Option.Option<number | null> => found.dead ? Option.some(1) : Option.none())
      ),
    globalEnvironment: () => Effect.as(available, Option.none()),
    windowsNamed: (session, name) =>
      Effect.map(
        Ref.get(control.windows),
        (windows) => windows.filter((w) => w.session === session && w.name === name).map((w) => w.windowId)
      ),
    foreground: (paneId) =>
      Effect.map(
        find(paneId),
        (pane) => ({ pid: 0, names: [pane.command], kind: programKind([pane.command], fallbackShells) })
      )
  }
  return { tmux, control }
})

/** A recording tmux, with its controls. */
export const layerTest = Layer.effectContext(
  Effect.map(make, ({ control, tmux }) => Context.make(Tmux, tmux).pipe(Context.add(TmuxTestControl, control)))
)
