/**
 * Edits single keys of one table in a TOML document as text, so that every other byte of the file (comments, order,
 * formatting, other tables) stays as it was. Callers check the result with a parser.
 */
import { bareKey, type Line, samePath, scan, splitLines } from "./TomlStatements.js"

/** A key to set and its value already written as TOML. */
export interface TomlAssignment {
  readonly key: string
  readonly value: string
  /** A former name of the key: its line is rewritten as this key (or dropped, when the key is there too). */
  readonly replaces?: string
  /** A comment written on the line after the key when the key is new (not when it replaces a line). */
  readonly note?: string
}

/** A key as TOML writes it: bare when it can be, else quoted; never fails. */
export const tomlKey = (key: string): string => bareKey.exec(key)?.[0] === key ? key : JSON.stringify(key)

/** A string, boolean, number or list of them as a TOML value; never fails. */
export const tomlValue = (value: string | boolean | number | ReadonlyArray<string>): string =>
  typeof value === "string"
    ? JSON.stringify(value)
    : typeof value === "object"
    ? `[${value.map((item) => JSON.stringify(item)).join(", ")}]`
    : String(value)

/** Whether the document has a `[path]` table header; never fails. */
export const hasTableHeader = (text: string, path: ReadonlyArray<string>): boolean =>
  scan(splitLines(text)).some((statement) =>
    statement.kind === "table" && !statement.array && samePath(statement.path, path)
  )

/**
 * The document with each assignment made in the `[path]` table: a key already there has its lines replaced by one
 * `key = value` line, a new key goes after the table's last pair (with its note), and a missing table is appended at
 * the end. Every other line is kept byte for byte. Never fails; the caller checks the result with a TOML parser.
 */
export const setTableKeys = (
  text: string,
  path: ReadonlyArray<string>,
  assignments: ReadonlyArray<TomlAssignment>
): string => {
  if (assignments.length === 0) return text
  const lines = splitLines(text)
  const eol = text.includes("\r\n") ? "\r\n" : "\n"
  const line = (assignment: TomlAssignment) => `${tomlKey(assignment.key)} = ${assignment.value}`
  const newLines = (
    assignment: TomlAssignment
  ) => [line(assignment), ...(assignment.note === undefined ? [] : [`# ${assignment.note}`])]
  const statements = scan(lines)
  const header = statements.findIndex((s) => s.kind === "table" && !s.array && samePath(s.path, path))
  if (header < 0) {
    const block = [`[${path.map(tomlKey).join(".")}]`, ...assignments.flatMap(newLines)].join(eol) + eol
    if (text === "") return block
    return text + (text.endsWith("\n") ? "" : eol) + eol + block
  }
  const next = statements.findIndex((s, i) => i > header && s.kind === "table")
  const section = statements.slice(header + 1, next < 0 ? undefined : next)
  const pairs = section.filter((s) => s.kind === "pair")
  const replaced = new Map<number, { readonly last: number; readonly body: string | undefined }>()
  const added: Array<string> = []
  const pairOf = (key: string | undefined) => pairs.find((s) => s.key.length === 1 && s.key[0] === key)
  for (const assignment of assignments) {
    const pair = pairOf(assignment.key)
    const former = assignment.replaces === undefined ? undefined : pairOf(assignment.replaces)
    if (pair !== undefined) {
      replaced.set(pair.first, { last: pair.last, body: line(assignment) })
      if (former !== undefined) replaced.set(former.first, { last: former.last, body: undefined })
    } else if (former !== undefined) replaced.set(former.first, { last: former.last, body: line(assignment) })
    else added.push(...newLines(assignment))
  }
  const anchor = pairs.length === 0 ? statements[header]!.first : pairs[pairs.length - 1]!.last
  const out: Array<Line> = []
  for (let l = 0; l < lines.length; l++) {
    const replacement = replaced.get(l)
    if (replacement !== undefined) {
      if (replacement.body !== undefined) out.push({ body: replacement.body, eol: lines[replacement.last]!.eol })
      l = replacement.last
    } else out.push(lines[l]!)
    if (l === anchor && added.length > 0) {
      const last = out.pop()!
      out.push({ body: last.body, eol: last.eol === "" ? eol : last.eol })
      added.forEach((body, i) => out.push({ body, eol: i === added.length - 1 && last.eol === "" ? "" : eol }))
    }
  }
  return out.map((l) => l.body + l.eol).join("")
}
