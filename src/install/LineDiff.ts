type Edit = { readonly op: " " | "-" | "+"; readonly line: string }

/** The edits from `a` to `b` (longest common subsequence; past a size limit, everything removed then added). */
const edits = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): Array<Edit> => {
  if (a.length * b.length > 4_000_000) {
    return [...a.map((line) => ({ op: "-" as const, line })), ...b.map((line) => ({ op: "+" as const, line }))]
  }
  const width = b.length + 1
  const common = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j]
        ? common[(i + 1) * width + j + 1]! + 1
        : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!)
    }
  }
  const out: Array<Edit> = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: " ", line: a[i]! })
      i++
      j++
    } else if (i < a.length && (j === b.length || common[(i + 1) * width + j]! >= common[i * width + j + 1]!)) {
      out.push({ op: "-", line: a[i++]! })
    } else out.push({ op: "+", line: b[j++]! })
  }
  return out
}

/**
 * A line diff of two texts for a person to read: changed lines marked `-`/`+`, `context` unchanged lines around each
 * change, longer unchanged runs shown as `...`; empty when the texts are equal. Never fails.
 */
export const lineDiff = (before: string, after: string, context = 2): string => {
  if (before === after) return ""
  const a = before.split("\n")
  const b = after.split("\n")
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
  let suffix = 0
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++
  }
  const all: Array<Edit> = [
    ...a.slice(0, prefix).map((line) => ({ op: " " as const, line })),
    ...edits(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix)),
    ...a.slice(a.length - suffix).map((line) => ({ op: " " as const, line }))
  ]
  const near = all.map((_, i) =>
    all.slice(Math.max(0, i - context), i + context + 1).some((edit) => edit.op !== " ")
  )
  const lines: Array<string> = []
  all.forEach((edit, i) => {
    if (near[i]) lines.push(`${edit.op} ${edit.line}`)
    else if (i === 0 || near[i - 1]) lines.push("  ...")
  })
  return lines.join("\n")
}
