/**
 * Removes tables and single keys from a TOML document as text, every other byte of the file kept as it was; the
 * inverse of what `setTableKeys` adds. Callers check the result with a parser.
 */
import { type Line, samePath, scan, splitLines, type Statement } from "./TomlStatements.js"

const isBlank = (line: Line | undefined) => line !== undefined && line.body.trim() === ""

const joined = (lines: ReadonlyArray<Line>) => lines.map((line) => line.body + line.eol).join("")

/**
 * The lines without `from`..`to` (and, for a table, the blank line that set it apart: the one before it, else the
 * one after it); when the last line goes, the new last line ends as it did (without a line end, if it had none).
 */
const withoutLines = (lines: ReadonlyArray<Line>, from: number, to: number, table: boolean): string => {
  const first = table && isBlank(lines[from - 1]) ? from - 1 : from
  const last = table && first === from && isBlank(lines[to + 1]) ? to + 1 : to
  const kept = [...lines.slice(0, first), ...lines.slice(last + 1)]
  if (last === lines.length - 1 && lines[last]!.eol === "" && kept.length > 0) {
    kept[kept.length - 1] = { ...kept[kept.length - 1]!, eol: "" }
  }
  return joined(kept)
}

const isUnder = (statement: Statement, path: ReadonlyArray<string>) =>
  statement.kind === "table" && statement.path.length >= path.length &&
  samePath(statement.path.slice(0, path.length), path)

/**
 * The lines one table spans: its header through its last pair (comments after the last pair belong to what follows).
 */
const tableSpan = (statements: ReadonlyArray<Statement>, header: number) => {
  const next = statements.findIndex((s, i) => i > header && s.kind === "table")
  const body = statements.slice(header + 1, next < 0 ? undefined : next)
  const lastPair = body.at(-1)
  return {
    first: statements[header]!.first,
    last: lastPair?.kind === "pair" ? lastPair.last : statements[header]!.first
  }
}

/**
 * The document without the tables at or under `path` (`[a.b]`, `[a.b.c]`, `[[a.b.c]]`), each with the blank line that
 * set it apart; never fails.
 */
export const removeTables = (text: string, path: ReadonlyArray<string>): string => {
  let current = text
  for (;;) {
    const lines = splitLines(current)
    const statements = scan(lines)
    const header = statements.findIndex((statement) => isUnder(statement, path))
    if (header < 0) return current
    const span = tableSpan(statements, header)
    current = withoutLines(lines, span.first, span.last, true)
  }
}

/** Where `key` of the `[path]` table sits, when the comment line right after it is `# <note>`. */
const notedPair = (lines: ReadonlyArray<Line>, path: ReadonlyArray<string>, key: string, note: string) => {
  const statements = scan(lines)
  const header = statements.findIndex((s) => s.kind === "table" && !s.array && samePath(s.path, path))
  if (header < 0) return undefined
  const next = statements.findIndex((s, i) => i > header && s.kind === "table")
  const pair = statements.slice(header + 1, next < 0 ? undefined : next)
    .find((s) => s.kind === "pair" && s.key.length === 1 && s.key[0] === key)
  if (pair?.kind !== "pair" || lines[pair.last + 1]?.body.trim() !== `# ${note}`) return undefined
  return { first: pair.first, last: pair.last + 1 }
}

/** Whether the `[path]` table holds `key` followed by the comment `# <note>`; never fails. */
export const hasNotedKey = (text: string, path: ReadonlyArray<string>, key: string, note: string): boolean =>
  notedPair(splitLines(text), path, key, note) !== undefined

/**
 * The document without `key` of the `[path]` table and the `# <note>` line after it (unchanged when the key is not
 * followed by that note); with `dropEmptyTable`, also without the table when nothing but blank lines is left in it.
 * Never fails.
 */
export const removeNotedKey = (
  text: string,
  path: ReadonlyArray<string>,
  key: string,
  note: string,
  dropEmptyTable: boolean
): string => {
  const lines = splitLines(text)
  const found = notedPair(lines, path, key, note)
  if (found === undefined) return text
  const result = splitLines(withoutLines(lines, found.first, found.last, false))
  if (!dropEmptyTable) return joined(result)
  const statements = scan(result)
  const header = statements.findIndex((s) => s.kind === "table" && !s.array && samePath(s.path, path))
  const start = statements[header]!.first
  const next = statements[header + 1]
  const end = next === undefined ? result.length : next.first
  if (next?.kind === "pair" || !result.slice(start + 1, end).every(isBlank)) return joined(result)
  return end - 1 > start ? withoutLines(result, start, end - 1, false) : withoutLines(result, start, start, true)
}
