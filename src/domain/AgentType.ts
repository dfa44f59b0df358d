import { Option, Order, Schema } from "effect"

/** The longest summary kept; longer descriptions are cut to 197 characters plus "...". */
export const summaryMaxLength = 200

/** The reserved role that launches a bare runtime, without any catalogue lookup. */
export const generalRole = "general"

/** Namespaces preferred, in order, when a short name matches agents of several namespaces. */
export const preferredNamespaces: ReadonlyArray<string> = ["helioy-tools", "pr-review-toolkit"]

/** A launchable agent type (a Claude agent, a Codex instructions file) as the catalogue lists it. */
export const AgentType = Schema.Struct({
  /** `namespace:name`, the name a spawn asks for. */
  qualified_name: Schema.String,
  /** The short name from the file's front matter (or, for Codex, its file name). */
  name: Schema.String,
  /** The plugin directory, `user`, `project`, `codex`, or the Claude namespace a Codex role mirrors. */
  namespace: Schema.String,
  /** The description, whitespace folded, at most 200 characters. */
  summary: Schema.String.pipe(Schema.maxLength(summaryMaxLength)),
  /** The model the file asks for, or "". */
  model: Schema.String,
  /** The runtime it is listed under: the requested one, or the first runtime that can launch it. */
  runtime: Schema.String,
  /** Every runtime that can launch it, in adapter order (a plugin agent: claude, claude-opus, grok, grok-fast). */
  runtimes: Schema.Array(Schema.String),
  /** The file it was read from. */
  source: Schema.String
})

/** A launchable agent type. */
export type AgentType = typeof AgentType.Type

/** A description as a summary: whitespace folded, cut to 197 characters plus "..." when longer than 200. */
export const toSummary = (description: string): string => {
  const folded = description.replace(/\s+/g, " ").trim()
  return folded.length <= summaryMaxLength ? folded : `${folded.slice(0, summaryMaxLength - 3)}...`
}

/** The `general` entry that discovery lists first: a bare runtime with no specialist role. */
export const generalAgentType: AgentType = {
  qualified_name: generalRole,
  name: generalRole,
  namespace: "",
  summary:
    "Preferred agent unless another is requested. Raw pane with no specialist role: launches the bare runtime (default, or pick one with runtime=).",
  model: "",
  runtime: "",
  runtimes: [],
  source: ""
}

/** Orders agent types by qualified name, then by the position of their runtime in `runtimeOrder`, then by file. */
export const agentTypeOrder = (runtimeOrder: ReadonlyArray<string>): Order.Order<AgentType> => {
  const rank = (runtime: string) => {
    const index = runtimeOrder.indexOf(runtime)
    return index < 0 ? runtimeOrder.length : index
  }
  return Order.combine(
    Order.mapInput(Order.string, (type: AgentType) => type.qualified_name),
    Order.combine(
      Order.mapInput(Order.number, (type: AgentType) => rank(type.runtime)),
      Order.mapInput(Order.string, (type: AgentType) => type.source)
    )
  )
}

/** The agent types one runtime can launch, each listed under that runtime. */
export const scopeToRuntime = (types: ReadonlyArray<AgentType>, runtime: string): ReadonlyArray<AgentType> =>
  types.filter((type) => type.runtimes.includes(runtime)).map((type) => ({ ...type, runtime }))

/**
 * Finds an agent type by name: `ns:name` matches a qualified name exactly (first in list order); a short name that
 * several namespaces define prefers `helioy-tools`, then `pr-review-toolkit`, else the first in list order.
 */
export const findAgentType = (types: ReadonlyArray<AgentType>, name: string): Option.Option<AgentType> => {
  if (name.includes(":")) return Option.fromNullable(types.find((type) => type.qualified_name === name))
  const matches = types.filter((type) => type.name === name)
  for (const namespace of preferredNamespaces) {
    const preferred = matches.find((type) => type.namespace === namespace)
    if (preferred !== undefined) return Option.some(preferred)
  }
  return Option.fromNullable(matches[0])
}

/**
 * Up to `limit` distinct qualified names whose name, summary or qualified name contains the needle (or its part after
 * `:`), ignoring case; a blank needle suggests nothing.
 */
export const suggestAgentTypes = (
  types: ReadonlyArray<AgentType>,
  needle: string,
  limit = 5
): ReadonlyArray<string> => {
  const wanted = [needle, needle.slice(needle.lastIndexOf(":") + 1)]
    .map((text) => text.trim().toLowerCase())
    .filter((text, index, all) => text !== "" && all.indexOf(text) === index)
  if (wanted.length === 0) return []
  const names: Array<string> = []
  for (const type of types) {
    if (names.length >= limit) break
    if (names.includes(type.qualified_name)) continue
    const haystacks = [type.name.toLowerCase(), type.summary.toLowerCase(), type.qualified_name.toLowerCase()]
    if (wanted.some((text) => haystacks.some((haystack) => haystack.includes(text)))) names.push(type.qualified_name)
  }
  return names
}
