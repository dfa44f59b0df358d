import { Command } from "@effect/cli"
import { Effect } from "effect"

/** A node of @effect/cli's command descriptor or args tree, read by its `_tag` (the fields walked below). */
interface Node {
  readonly _tag: string
  readonly [field: string]: unknown
}

const nodeAt = (value: unknown): Node | undefined =>
  typeof value === "object" && value !== null && typeof (value as Node)._tag === "string" ? value as Node : undefined

/** The words a command's positional choice arguments accept (`install` takes `claude` or `codex`). */
const choiceWords = (args: unknown): ReadonlyArray<string> => {
  const node = nodeAt(args)
  if (node === undefined) return []
  const primitive = nodeAt(node.primitiveType)
  if (node._tag === "Single" && primitive?._tag === "Choice") {
    return (primitive.alternatives as ReadonlyArray<readonly [string, unknown]>).map(([word]) => word)
  }
  return [node.args, node.left, node.right].flatMap(choiceWords)
}

/** Every command of the tree as its path of names, with the choice words of its arguments. */
const commandChoices = (descriptor: unknown, parents: ReadonlyArray<string>): ReadonlyArray<{
  readonly path: ReadonlyArray<string>
  readonly words: ReadonlyArray<string>
}> => {
  const node = nodeAt(descriptor)
  switch (node?._tag) {
    case "Standard":
      return [{ path: [...parents, node.name as string], words: choiceWords(node.args) }]
    case "Map":
      return commandChoices(node.command, parents)
    case "Subcommands": {
      const parent = commandChoices(node.parent, parents)
      const path = parent[0]?.path ?? parents
      return [...parent, ...(node.children as ReadonlyArray<unknown>).flatMap((child) => commandChoices(child, path))]
    }
    default:
      return []
  }
}

/**
 * The shell-safe name @effect/cli gives a command's case in the bash script (hyphens as `__`, parts joined by `__`).
 */
const caseName = (path: ReadonlyArray<string>) => path.map((name) => name.replaceAll("-", "__")).join("__")

/**
 * The bash completion script for a command, fixed: @effect/cli names the root's case with its raw name
 * (`helioy-bus`) but its subcommands' cases with `__` for each hyphen (`helioy__bus,install`), so with a hyphenated
 * name no subcommand was ever recognised and `helioy-bus install <TAB>` offered the top-level commands again. Each
 * command also offers its choice arguments (`install <TAB>`: claude, codex), which @effect/cli leaves out in bash.
 */
export const bashCompletion = <Name extends string, R, E, A>(command: Command.Command<Name, R, E, A>, name: string) =>
  Effect.map(Command.getBashCompletions(command, name), (lines) => {
    const choices = new Map(commandChoices(command.descriptor, []).map(({ path, words }) => [caseName(path), words]))
    const root = caseName([name])
    let current: string | undefined
    return lines.map((line) => {
      if (line === `                cmd="${name}"`) return `                cmd="${root}"`
      const opened = /^ {8}(\S+)\)$/.exec(line)
      if (opened !== null) {
        current = opened[1] === name ? root : opened[1]
        return `        ${current})`
      }
      const opts = /^( {12}opts=")(.*)"$/.exec(line)
      const words = current === undefined ? [] : choices.get(current) ?? []
      return opts !== null && words.length > 0 ? `${opts[1]}${[opts[2], ...words].join(" ")}"` : line
    }).join("\n")
  })

/** Whether the arguments (after node and the script) ask for the bash completion script. */
export const asksForBashCompletion = (argv: ReadonlyArray<string>): boolean => {
  const args = argv.slice(2)
  return (args.length === 2 && args[0] === "--completions" && (args[1] === "bash" || args[1] === "sh")) ||
    (args.length === 1 && (args[0] === "--completions=bash" || args[0] === "--completions=sh"))
}
