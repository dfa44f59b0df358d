/**
 * Gemini CLI 0.61's screen model on screens captured from the real TUI in tmux (trimmed of blank lines): where its
 * input line is, when a typed notice counts as submitted (it left the input line and a turn runs), and what is a
 * dialog.
 */
import { describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { inputLine, noticeSubmitted, showsBusy, showsDialog, showsReady } from "../../src/domain/PaneScreen.js"
import { geminiScreen } from "../../src/layers/GeminiAdapter.js"

const rule = "─".repeat(80)

const header = [
  " ▝▜▄     Gemini CLI v0.61.0",
  "   ▝▜▄",
  "  ▗▟▀    Authenticated with gemini-api-key /auth",
  " ▝▀",
  "Tips for getting started:",
  "1. Create GEMINI.md files to customize your interactions",
  "2. /help for more information"
]

const footer = [
  " workspace (/directory)                          sandbox                          /model",
  " /work/proj                                      no sandbox                       Auto"
]

const screen = (transcript: ReadonlyArray<string>, status: string, input: string) =>
  [
    ...header,
    ...transcript,
    status,
    rule,
    " Shift+Tab to accept edits                                                 1 MCP server",
    ` > ${input}`,
    ...footer
  ].join("\n")

const idle = screen(
  [" > hello there", "✦ ok"],
  "                                          ? for shortcuts",
  "  Type your message or @path/to/file"
)
const typed = screen([" > hello there", "✦ ok"], "", nudgeText)
const running = screen(
  [" > hello there", "✦ ok", ` > ${nudgeText}`],
  " ⠹ Thinking... (esc to cancel, 0s)                                         ? for shortcuts",
  "  Type your message or @path/to/file"
)
const box = (line: string) => ` │ ${line.padEnd(60)} │`
const queuedDuringHook = screen(
  [" > hello there", "✦ ok", "  Queued (press ↑ to edit):", `    ${nudgeText}`],
  " ⠇ Executing Hook: /usr/bin/node /opt/helioy-bus/bin/helioy-bus.js hook after-agent               ? for shortcuts",
  "  Type your message or @path/to/file"
)
const trustDialog = [
  ...header,
  "ℹ Skipping project agents due to untrusted folder. To enable, ensure that the project root is trusted.",
  ` ╭${"─".repeat(62)}╮`,
  box("Do you trust the files in this folder?"),
  box(""),
  box("● 1. Trust folder (untrusted)"),
  box("  2. Trust parent folder (gx)"),
  box("  3. Don't trust"),
  ` ╰${"─".repeat(62)}╯`
].join("\n")

describe("Gemini CLI's screen model", () => {
  it("an idle TUI is ready, not busy, and its input line holds only the placeholder (not the transcript's `> hello there`)", () => {
    expect(showsReady(geminiScreen, idle)).toBe(true)
    expect(showsBusy(geminiScreen, idle)).toBe(false)
    expect(inputLine(geminiScreen, idle)).toBe("Type your message or @path/to/file")
    expect(showsDialog(geminiScreen, idle)).toBe(false)
  })

  it("a typed notice sits on the input line and is not submitted until a turn runs with it in the transcript", () => {
    expect(inputLine(geminiScreen, typed)).toBe(nudgeText)
    expect(noticeSubmitted(geminiScreen, nudgeText, idle, typed)).toBe(false)
    expect(showsBusy(geminiScreen, running)).toBe(true)
    expect(noticeSubmitted(geminiScreen, nudgeText, idle, running)).toBe(true)
  })

  it("a notice typed while the AfterAgent hook ends a turn is queued by Gemini: taken, though no turn shows yet", () => {
    expect(showsBusy(geminiScreen, queuedDuringHook)).toBe(false)
    expect(noticeSubmitted(geminiScreen, nudgeText, idle, queuedDuringHook)).toBe(true)
    expect(noticeSubmitted(geminiScreen, nudgeText, idle, queuedDuringHook.replace(nudgeText, "something else"))).toBe(
      false
    )
  })

  it("a notice that left the input line while no turn shows and the transcript did not grow is not submitted", () => {
    expect(noticeSubmitted(geminiScreen, nudgeText, idle, idle)).toBe(false)
  })

  it("the folder trust dialog (a boxed numbered menu) is a dialog, never typed into", () => {
    expect(showsDialog(geminiScreen, trustDialog)).toBe(true)
    expect(showsDialog(geminiScreen, trustDialog.replace("Do you trust the files in this folder?", ""))).toBe(true)
    expect(showsReady(geminiScreen, trustDialog)).toBe(false)
  })
})
