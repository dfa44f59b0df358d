import { Either, Schema } from "effect"
import { agentIdProblem, maxAgentIdBytes, replaceForbidden, truncateUtf8 } from "./AgentIdSyntax.js"

export { agentIdProblem, maxAgentIdBytes, printable } from "./AgentIdSyntax.js"

/**
 * An agent's id: its inbox directory name, so it can never hold a path separator, a `;`, a control or format character,
 * a leading dot, or more than 200 UTF-8 bytes.
 */
export const AgentId = Schema.String.pipe(
  Schema.filter((id) => agentIdProblem(id) ?? true),
  Schema.brand("AgentId")
)

/** A validated agent id. */
export type AgentId = typeof AgentId.Type

/** Validates an agent id: Right with the branded id, or Left with a sentence saying which rule it broke. */
export const validateAgentId = (id: string): Either.Either<AgentId, string> => {
  const problem = agentIdProblem(id)
  return problem === undefined ? Either.right(id as AgentId) : Either.left(problem)
}

/**
 * The reference's canonical id `{repo}:{agent_type}[:{tmux_target}]`, repo being the basename of `pwd`
 * (`unknown` when empty), with characters an id may not hold replaced by `-`.
 */
export const canonicalAgentId = (pwd: string, agentType = "general", tmuxTarget = ""): AgentId => {
  const trimmed = pwd.replace(/\/+$/, "")
  const base = replaceForbidden(trimmed.slice(trimmed.lastIndexOf("/") + 1)).replace(/^[\s.]+/, "").trim()
  const repo = base === "" ? "unknown" : base
  const type = agentType.trim() === "" ? "general" : replaceForbidden(agentType.trim())
  const target = replaceForbidden(tmuxTarget)
  const id = target === "" ? `${repo}:${type}` : `${repo}:${type}:${target}`
  return truncateUtf8(id, maxAgentIdBytes).trim() as AgentId
}

/**
 * `id` followed by `:<suffix>` (characters an id may not hold replaced by `-`), `id` shortened as needed to stay within
 * the length limit.
 */
export const withIdSuffix = (id: AgentId, suffix: string): AgentId => {
  const tail = `:${replaceForbidden(suffix).trim()}`
  return `${truncateUtf8(id, maxAgentIdBytes - Buffer.byteLength(tail, "utf8")).trimEnd()}${tail}` as AgentId
}

/** The reference's pane-title identity pattern `repo:type[:more]:session:window.pane`. */
export const identityTitlePattern = /^[a-zA-Z0-9_-]+:[a-zA-Z0-9_:-]+:[a-zA-Z0-9_-]+:[0-9]+\.[0-9]+$/
