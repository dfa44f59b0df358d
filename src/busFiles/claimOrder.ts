/** The order an inbox's unread files are claimed in, and how many of them a topic leaves, from their heads. */
import { join } from "node:path"
import { readMessageHead } from "./messageHead.js"

/** The names in claim order: urgent messages first, each group oldest first (by name). Never throws. */
export const urgentFirst = (dir: string, names: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (names.length < 2) return names
  const urgent = names.filter((name) => readMessageHead(join(dir, name))?.priority === "urgent")
  if (urgent.length === 0) return names
  const first = new Set(urgent)
  return [...urgent, ...names.filter((name) => !first.has(name))]
}

/** How many of `names` are unread messages of `topic` (all of them without a topic). Never throws. */
export const countRemaining = (dir: string, names: ReadonlyArray<string>, topic: string | undefined): number =>
  topic === undefined ? names.length : names.filter((name) => readMessageHead(join(dir, name))?.topic === topic).length
