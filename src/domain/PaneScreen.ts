import type { ScreenModel } from "./RuntimeAdapter.js"

/** The text of a TUI's input line: the last line that starts with its prompt glyph, less the glyph; "" when none. */
export const inputLine = (screen: ScreenModel, text: string): string => {
  const lines = text.split("\n")
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!.trimStart()
    if (line.startsWith(screen.prompt)) return line.slice(screen.prompt.length).trim()
  }
  return ""
}

/** Whether the screen shows a running turn. */
export const showsBusy = (screen: ScreenModel, text: string): boolean =>
  screen.busy.some((pattern) => pattern.test(text))

/**
 * Whether the screen shows the TUI started and at its prompt (a runtime whose prompt cannot be told counts as ready).
 */
export const showsReady = (screen: ScreenModel, text: string): boolean =>
  screen.ready.every((pattern) => pattern.test(text))

/** Whether the screen shows the TUI still starting up (what is typed would sit unsubmitted). */
export const showsStarting = (screen: ScreenModel, text: string): boolean =>
  screen.starting.some((pattern) => pattern.test(text))

/** Whether the screen shows a dialog or a menu, which must never be typed into. */
export const showsDialog = (screen: ScreenModel, text: string): boolean =>
  screen.dialog.some((pattern) => pattern.test(text))

/** How many times a notice shows in the transcript: on screen, less the input line. */
const transcriptCount = (screen: ScreenModel, notice: string, text: string): number =>
  text.split(notice).length - (inputLine(screen, text).includes(notice) ? 2 : 1)

/** Whether the TUI shows the notice among the input it queued for after its running turn. */
const showsQueued = (screen: ScreenModel, notice: string, text: string): boolean => {
  if (screen.queued === undefined) return false
  const at = text.search(screen.queued)
  return at >= 0 && text.slice(at).includes(notice)
}

/**
 * Whether a typed notice took effect: it is no longer on the input line, and a turn runs now, the notice moved into
 * the transcript since `before` (a turn that ended between two looks), or the TUI queued it for after the turn it is
 * finishing. A runtime whose running turn does not show counts on the first alone.
 */
export const noticeSubmitted = (screen: ScreenModel, notice: string, before: string, after: string): boolean =>
  !inputLine(screen, after).includes(notice) &&
  (screen.busy.length === 0 || showsBusy(screen, after) ||
    transcriptCount(screen, notice, after) > transcriptCount(screen, notice, before) ||
    showsQueued(screen, notice, after))
