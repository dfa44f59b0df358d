/** The syntax of agent ids, without any dependency: the hook fast path checks ids with it before it touches a file. */

/** The longest agent id, in UTF-8 bytes (an id is a directory name; file systems allow 255). */
export const maxAgentIdBytes = 200

/**
 * Characters no id may hold: path separators, `;`, and every Unicode control (Cc), format (Cf) or lone surrogate (Cs)
 * character.
 */
const forbidden = /[/\\;\p{Cc}\p{Cf}\p{Cs}]/u

const forbiddenGlobal = /[/\\;\p{Cc}\p{Cf}\p{Cs}]/gu

const invisible = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu

/** Text safe to print to a terminal or a log: control, format and separator characters shown as `\u{…}`. */
export const printable = (text: string): string =>
  text.replace(invisible, (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`)

const quoted = (id: string) => printable(JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id))

/** Says what is wrong with a would-be agent id, or undefined when it is fine to use as an inbox directory name. */
export const agentIdProblem = (id: string): string | undefined => {
  if (id === "") return "an agent id must not be empty"
  const bytes = Buffer.byteLength(id, "utf8")
  if (bytes > maxAgentIdBytes) return `agent id is ${bytes} bytes in UTF-8; the limit is ${maxAgentIdBytes} bytes`
  const bad = forbidden.exec(id)
  if (bad) {
    const char = bad[0]
    const shown = /[/\\;]/.test(char)
      ? `'${char}'`
      : `the control or format character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`
    return `agent id ${
      quoted(id)
    } contains ${shown}; ids may not hold '/', '\\', ';' or control or format characters (use letters, digits and - _ . : % @)`
  }
  if (id.startsWith(".")) return `agent id ${quoted(id)} must not start with '.'`
  if (id.trim() !== id) return `agent id ${quoted(id)} must not start or end with white space`
  return undefined
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character. */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text
  let bytes = 0
  let end = 0
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8")
    if (bytes + size > maxBytes) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}

/** `text` with every character an id may not hold replaced by `-`. */
export const replaceForbidden = (text: string): string => text.replace(forbiddenGlobal, "-")
