/** The controls of the recording tmux (`TmuxTest.layerTest`): what it reports, what it saw, what it is told to fail. */
import { Context, type Ref } from "effect"
import type { PaneInfo, PaneLaunch } from "../services/Tmux.js"
import type { SimulatedTui } from "./TmuxTestScreen.js"

/** The name of one tmux operation of the recording tmux. */
export type TmuxOp =
  | "listPanes"
  | "pane"
  | "cancelMode"
  | "typeLiteral"
  | "pressEnter"
  | "capture"
  | "ensureGlobalHook"
  | "newWindow"
  | "splitWindow"
  | "signal"
  | "selectLayout"
  | "setPaneTitle"
  | "setWindowOption"
  | "killPane"
  | "killWindow"
  | "windowOf"
  | "sessionOfPane"

/** One recorded tmux call. */
export interface TmuxCall {
  readonly op: TmuxOp
  readonly target?: string
  readonly text?: string
  /** The launch of a new pane (newWindow, splitWindow). */
  readonly launch?: PaneLaunch
}

/** A window the recording tmux simulates: its panes in index order. */
export interface SimulatedWindow {
  readonly windowId: string
  readonly session: string
  readonly name: string
  readonly index: number
  readonly paneIds: ReadonlyArray<string>
  readonly options: Readonly<Record<string, string>>
  readonly layout: string
}

/** Controls of the recording tmux: the panes it reports, the calls it saw, and the failures it is told to produce. */
export interface TmuxControls {
  readonly panes: Ref.Ref<ReadonlyArray<PaneInfo>>
  readonly calls: Ref.Ref<ReadonlyArray<TmuxCall>>
  readonly missing: Ref.Ref<boolean>
  readonly failSends: Ref.Ref<boolean>
  /** Windows created through newWindow, with their panes (which also appear in `panes`). */
  readonly windows: Ref.Ref<ReadonlyArray<SimulatedWindow>>
  /** How each simulated pane was launched, by pane id. */
  readonly launches: Ref.Ref<ReadonlyMap<string, PaneLaunch>>
  /** Per operation, how many more calls succeed before every further call fails with TmuxCommandFailed. */
  readonly failAfter: Ref.Ref<ReadonlyMap<TmuxOp, number>>
  /** The terminal UI simulated in a pane, by pane id: what capture shows, and how typing and Enter change it. */
  readonly screens: Ref.Ref<ReadonlyMap<string, SimulatedTui>>
  /** What `version` answers (`tmux -V`), unless `missing` says tmux cannot be run. */
  readonly version: Ref.Ref<string>
}

/** The controls of the recording tmux. */
export class TmuxTestControl extends Context.Tag("helioy/TmuxTestControl")<TmuxTestControl, TmuxControls>() {}
