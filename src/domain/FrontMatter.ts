import { parseDocument } from "yaml"

/**
 * What the head of a Markdown file holds: no front matter, a block that is not usable, or its fields and the body after
 * it.
 */
export type FrontMatter =
  | { readonly _tag: "Absent"; readonly body: string }
  | { readonly _tag: "Invalid"; readonly reason: string }
  | { readonly _tag: "Present"; readonly fields: Readonly<Record<string, unknown>>; readonly body: string }

const isFence = (line: string) => line.trimEnd() === "---"

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The block as YAML: a mapping, or undefined when it is not valid YAML or not a mapping. */
const yamlFields = (block: string): Record<string, unknown> | undefined => {
  try {
    const document = parseDocument(block, { prettyErrors: false, uniqueKeys: true })
    if (document.errors.length > 0) return undefined
    const value: unknown = document.toJS({ maxAliasCount: 100 })
    if (value === null || value === undefined) return {}
    return isMapping(value) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The reference's reading of a block that is not valid YAML (agent descriptions often hold unquoted `: `):
 * top-level `key: value` lines only, surrounding double quotes stripped.
 */
const lineFields = (block: string): Record<string, unknown> => {
  const fields: Record<string, unknown> = {}
  for (const line of block.split("\n")) {
    const match = /^(\w[\w-]*):\s*(.*)$/.exec(line)
    if (match === null) continue
    const raw = match[2]!.trim()
    fields[match[1]!] = raw.length >= 2 && raw.startsWith("\"") && raw.endsWith("\"") ? raw.slice(1, -1) : raw
  }
  return fields
}

/** Splits a Markdown text into its `---` front matter (parsed as YAML, else line by line) and body; never throws. */
export const parseFrontMatter = (text: string): FrontMatter => {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n")
  if (lines.length === 0 || !isFence(lines[0]!)) return { _tag: "Absent", body: lines.join("\n") }
  const end = lines.findIndex((line, index) => index > 0 && isFence(line))
  if (end < 0) return { _tag: "Invalid", reason: "the front matter block is never closed by a '---' line" }
  const block = lines.slice(1, end).join("\n")
  const body = lines.slice(end + 1).join("\n")
  const fields = yamlFields(block)
  if (fields !== undefined) return { _tag: "Present", fields, body }
  const loose = lineFields(block)
  return Object.keys(loose).length === 0
    ? { _tag: "Invalid", reason: "the front matter is neither a YAML mapping nor `key: value` lines" }
    : { _tag: "Present", fields: loose, body }
}

/**
 * A front matter field as one line of text: strings and numbers as written (whitespace folded), anything else empty.
 */
export const textField = (fields: Readonly<Record<string, unknown>>, key: string): string => {
  const value = fields[key]
  if (typeof value === "string") return value.replace(/\s+/g, " ").trim()
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return ""
}

/** The first line of a Markdown body that is neither blank nor a `#` heading, or "". */
export const firstProseLine = (body: string): string =>
  body.split("\n").map((line) => line.trim()).find((line) => line !== "" && !line.startsWith("#")) ?? ""
