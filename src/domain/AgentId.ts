import { Either, Schema } from "effect"

const forbidden = /[/\\;\u0000-\u001f\u007f]/

/** Says what is wrong with a would-be agent id, or undefined when it is fine to use as an inbox directory name. */
export const agentIdProblem = (id: string): string | undefined =>
  id === ""
    ? "an agent id must not be empty"
    : id.length > 200
    ? `agent id is ${id.length} characters; the limit is 200`
    : forbidden.test(id)
    ? `agent id ${JSON.stringify(id)} contains '/', '\\', ';' or a control character; use letters, digits and - _ . : % @`
    : id.startsWith(".")
    ? `agent id ${JSON.stringify(id)} must not start with '.'`
    : id.trim() !== id
    ? `agent id ${JSON.stringify(id)} must not start or end with white space`
    : undefined

/** An agent's id: its inbox directory name, so it can never hold a path separator, a `;`, a control character or a leading dot. */
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

const unsafeCharacters = /[/\\;\u0000-\u001f\u007f]/g

/**
 * The reference's canonical id `{repo}:{agent_type}[:{tmux_target}]`, repo being the basename of `pwd`
 * (`unknown` when empty), with characters an id may not hold replaced by `-`.
 */
export const canonicalAgentId = (pwd: string, agentType = "general", tmuxTarget = ""): AgentId => {
  const trimmed = pwd.replace(/\/+$/, "")
  const base = trimmed.slice(trimmed.lastIndexOf("/") + 1).replace(unsafeCharacters, "-").replace(/^[\s.]+/, "").trim()
  const repo = base === "" ? "unknown" : base
  const type = agentType.trim() === "" ? "general" : agentType.trim().replace(unsafeCharacters, "-")
  const target = tmuxTarget.replace(unsafeCharacters, "-")
  const id = target === "" ? `${repo}:${type}` : `${repo}:${type}:${target}`
  return id.slice(0, 200).trim() as AgentId
}

/** The reference's pane-title identity pattern `repo:type[:more]:session:window.pane`. */
export const identityTitlePattern = /^[a-zA-Z0-9_-]+:[a-zA-Z0-9_:-]+:[a-zA-Z0-9_-]+:[0-9]+\.[0-9]+$/
