/**
 * The statements of a TOML document as text: its lines (with their line ends) and, per statement, the lines it spans.
 * It finds statements, not values: callers check an edit's result with a parser.
 */

/** One line of a document and its line end (empty on a last line without one). */
export interface Line {
  readonly body: string
  readonly eol: string
}

/** A table header (`[a.b]` or `[[a.b]]`) or a `key = value` pair, by the lines it spans. */
export type Statement =
  | { readonly kind: "table"; readonly path: ReadonlyArray<string>; readonly array: boolean; readonly first: number }
  | { readonly kind: "pair"; readonly key: ReadonlyArray<string>; readonly first: number; readonly last: number }

/** The lines of a document, each with its own line end; never fails. */
export const splitLines = (text: string): Array<Line> => {
  const lines: Array<Line> = []
  let start = 0
  for (const match of text.matchAll(/\r?\n/g)) {
    lines.push({ body: text.slice(start, match.index), eol: match[0] })
    start = match.index + match[0].length
  }
  if (start < text.length) lines.push({ body: text.slice(start), eol: "" })
  return lines
}

/** A bare TOML key. */
export const bareKey = /^[A-Za-z0-9_-]+/

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

/** The table headers and key/value pairs of a document, in order; never fails. */
export const scan = (lines: ReadonlyArray<Line>): Array<Statement> => {
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

/** Whether two dotted keys are the same; never fails. */
export const samePath = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((part, i) => part === b[i])
