/**
 * Edits single keys of one table in a TOML document as text, so that every other byte of the file (comments, order,
 * formatting, other tables) stays as it was. It finds statements, not values: callers check the result with a parser.
 */

interface Line {
  readonly body: string
  readonly eol: string
}

/** A table header (`[a.b]` or `[[a.b]]`) or a `key = value` pair, by the lines it spans. */
type Statement =
  | { readonly kind: "table"; readonly path: ReadonlyArray<string>; readonly array: boolean; readonly first: number }
  | { readonly kind: "pair"; readonly key: ReadonlyArray<string>; readonly first: number; readonly last: number }

/** A key to set and its value already written as TOML. */
export interface TomlAssignment {
  readonly key: string
  readonly value: string
  /** A former name of the key: its line is rewritten as this key (or dropped, when the key is there too). */
  readonly replaces?: string
}

const splitLines = (text: string): Array<Line> => {
  const lines: Array<Line> = []
  let start = 0
  for (const match of text.matchAll(/\r?\n/g)) {
    lines.push({ body: text.slice(start, match.index), eol: match[0] })
    start = match.index + match[0].length
  }
  if (start < text.length) lines.push({ body: text.slice(start), eol: "" })
  return lines
}

const bareKey = /^[A-Za-z0-9_-]+/

const unescapeBasic = (raw: string): string => {
  try {
    return JSON.parse(`"${raw}"`) as string
  } catch {
    return raw
  }
}

/** Reads a dotted key at `at`; undefined when there is none. */
const readKey = (text: string, at: number): { readonly parts: Array<string>; readonly end: number } | undefined => {
  const parts: Array<string> = []
  let i = at
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++
    const rest = text.slice(i)
    if (rest.startsWith("\"")) {
      const close = /^"((?:[^"\\]|\\.)*)"/.exec(rest)
      if (!close) return undefined
      parts.push(unescapeBasic(close[1]!))
      i += close[0].length
    } else if (rest.startsWith("'")) {
      const close = rest.indexOf("'", 1)
      if (close < 0) return undefined
      parts.push(rest.slice(1, close))
      i += close + 1
    } else {
      const bare = bareKey.exec(rest)
      if (!bare) return undefined
      parts.push(bare[0])
      i += bare[0].length
    }
    while (text[i] === " " || text[i] === "\t") i++
    if (text[i] !== ".") return { parts, end: i }
    i++
  }
}

/** The index of the line on which a value starting at (`line`, `column`) ends: past brackets and multi-line strings. */
const valueEnd = (lines: ReadonlyArray<Line>, line: number, column: number): number => {
  let depth = 0
  let quote: "\"" | "'" | "\"\"\"" | "'''" | undefined
  for (let l = line; l < lines.length; l++) {
    const body = lines[l]!.body
    for (let i = l === line ? column : 0; i < body.length; i++) {
      const char = body[i]!
      if (quote === "\"" || quote === "\"\"\"") {
        if (char === "\\") i++
        else if (body.startsWith(quote, i)) {
          i += quote.length - 1
          quote = undefined
        }
      } else if (quote !== undefined) {
        if (body.startsWith(quote, i)) {
          i += quote.length - 1
          quote = undefined
        }
      } else if (char === "#") break
      else if (body.startsWith("\"\"\"", i) || body.startsWith("'''", i)) {
        quote = body.slice(i, i + 3) as "\"\"\"" | "'''"
        i += 2
      } else if (char === "\"" || char === "'") quote = char
      else if (char === "[" || char === "{") depth++
      else if (char === "]" || char === "}") depth--
    }
    if (quote === "\"" || quote === "'") quote = undefined
    if (quote === undefined && depth <= 0) return l
  }
  return lines.length - 1
}

const scan = (lines: ReadonlyArray<Line>): Array<Statement> => {
  const statements: Array<Statement> = []
  for (let l = 0; l < lines.length; l++) {
    const body = lines[l]!.body
    const indent = body.length - body.trimStart().length
    const trimmed = body.trimStart()
    if (trimmed === "" || trimmed.startsWith("#")) continue
    if (trimmed.startsWith("[")) {
      const array = trimmed.startsWith("[[")
      const key = readKey(body, indent + (array ? 2 : 1))
      if (key !== undefined) statements.push({ kind: "table", path: key.parts, array, first: l })
      continue
    }
    const key = readKey(body, indent)
    if (key === undefined || body[key.end] !== "=") continue
    const last = valueEnd(lines, l, key.end + 1)
    statements.push({ kind: "pair", key: key.parts, first: l, last })
    l = last
  }
  return statements
}

const samePath = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((part, i) => part === b[i])

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
  scan(splitLines(text)).some((statement) => statement.kind === "table" && !statement.array && samePath(statement.path, path))

/**
 * The document with each assignment made in the `[path]` table: a key already there has its lines replaced by one
 * `key = value` line, a new key goes after the table's last pair, and a missing table is appended at the end. Every
 * other line is kept byte for byte. Never fails; the caller checks the result with a TOML parser.
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
  const statements = scan(lines)
  const header = statements.findIndex((s) => s.kind === "table" && !s.array && samePath(s.path, path))
  if (header < 0) {
    const block = [`[${path.map(tomlKey).join(".")}]`, ...assignments.map(line)].join(eol) + eol
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
    else added.push(line(assignment))
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
