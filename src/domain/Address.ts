import { Either } from "effect"
import { type AgentId, validateAgentId } from "./AgentId.js"

/** One part of a `to` address: an agent, every agent of a role, everyone, or something that is none of these. */
export type AddressPart =
  | { readonly _tag: "Agent"; readonly raw: string; readonly agentId: AgentId }
  | { readonly _tag: "Role"; readonly raw: string; readonly role: string }
  | { readonly _tag: "Broadcast"; readonly raw: string }
  | { readonly _tag: "Invalid"; readonly raw: string; readonly reason: string }

/**
 * Splits a `to` address on `;` into its parts (trimmed, empty parts dropped); never fails, invalid parts are tagged.
 */
export const parseAddress = (to: string): ReadonlyArray<AddressPart> =>
  to.split(";").map((part) => part.trim()).filter((part) => part !== "").map((raw): AddressPart => {
    if (raw === "*") return { _tag: "Broadcast", raw }
    if (raw.startsWith("role:")) {
      const role = raw.slice("role:".length).trim()
      return role === ""
        ? { _tag: "Invalid", raw, reason: "a role address needs a type after 'role:', e.g. role:backend-engineer" }
        : { _tag: "Role", raw, role }
    }
    return Either.match(validateAgentId(raw), {
      onLeft: (reason): AddressPart => ({ _tag: "Invalid", raw, reason }),
      onRight: (agentId): AddressPart => ({ _tag: "Agent", raw, agentId })
    })
  })
