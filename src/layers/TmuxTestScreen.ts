/** The terminal UI the recording tmux simulates in a pane, for tests of typed nudges. */
export interface SimulatedTui {
  /** The glyph of its input line (`❯` for Claude Code, `›` for Codex). */
  readonly prompt: string
  /** What the input line holds. */
  readonly input: string
  /** Whether a turn runs (the screen then shows `esc to interrupt`). */
  readonly busy: boolean
  /** A dialog's text on screen ("" for none): typing and Enter then change nothing. */
  readonly dialog: string
  /** How many Enters are ignored before one submits the input (a TUI still starting up). */
  readonly ignoredEnters: number
  /** The inputs submitted so far, shown above the input line as the TUI's transcript. */
  readonly transcript: ReadonlyArray<string>
  /** Whether a submitted turn ends before anyone can look (a fast model): no running turn ever shows. */
  readonly quickTurns: boolean
}

/** An idle TUI at its prompt, with an empty input line. */
export const idleTui = (prompt = "❯", overrides: Partial<SimulatedTui> = {}): SimulatedTui => ({
  prompt,
  input: "",
  busy: false,
  dialog: "",
  ignoredEnters: 0,
  transcript: [],
  quickTurns: false,
  ...overrides
})

/** The screen of a simulated TUI, as capture-pane shows it. */
export const renderTui = (tui: SimulatedTui): string =>
  [
    ...tui.transcript.map((line) => `${tui.prompt} ${line}`),
    tui.dialog,
    `${tui.prompt} ${tui.input}`,
    tui.busy ? "  esc to interrupt" : "  ? for shortcuts"
  ].join("\n")

/** The TUI after text is typed into it. */
export const typeIntoTui = (tui: SimulatedTui, text: string): SimulatedTui =>
  tui.dialog !== "" ? tui : { ...tui, input: tui.input + text }

/**
 * The TUI after Enter: a dialog keeps it, an ignored Enter is used up, else the input goes into the transcript and a
 * turn runs (or has already ended, for quick turns).
 */
export const pressEnterInTui = (tui: SimulatedTui): SimulatedTui => {
  if (tui.dialog !== "") return tui
  if (tui.ignoredEnters > 0) return { ...tui, ignoredEnters: tui.ignoredEnters - 1 }
  if (tui.input === "") return tui
  return { ...tui, input: "", busy: !tui.quickTurns, transcript: [...tui.transcript, tui.input] }
}
