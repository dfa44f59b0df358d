import { structuredPatch } from "diff"

/**
 * A diff line as shown: its marker (`-`, `+`, or a space for context) apart from the text, so the text reads as in the
 * file.
 */
const shown = (line: string): string => line.startsWith("\\") ? `  (${line.slice(2)})` : `${line[0]} ${line.slice(1)}`

/**
 * A line diff of two texts for a person to read (the `diff` package's hunks): changed lines marked `-`/`+`, `context`
 * unchanged lines around each change, the unchanged runs between hunks shown as `...`; empty when the texts are
 * equal. Never fails.
 */
export const diffPreview = (before: string, after: string, context = 2): string => {
  if (before === after) return ""
  const { hunks } = structuredPatch("before", "after", before, after, undefined, undefined, { context })
  const lines: Array<string> = []
  let next = 1
  for (const hunk of hunks) {
    if (hunk.oldStart > next) lines.push("  ...")
    lines.push(...hunk.lines.map(shown))
    next = hunk.oldStart + hunk.oldLines
  }
  const lineCount = before === "" ? 0 : before.split("\n").length - (before.endsWith("\n") ? 1 : 0)
  if (next <= lineCount) lines.push("  ...")
  return lines.join("\n")
}
