/** The errors of the agent-type catalogue. */
import { Schema } from "effect"

/** No agent type of that name in the catalogue searched (`runtime` "" when every runtime was searched). */
export class AgentTypeNotFound extends Schema.TaggedError<AgentTypeNotFound>()("AgentTypeNotFound", {
  name: Schema.String,
  runtime: Schema.String,
  suggestions: Schema.Array(Schema.String)
}) {
  override get message() {
    const scope = this.runtime === "" ? "" : ` for runtime '${this.runtime}'`
    const hint = this.suggestions.length === 0
      ? "Call warroom_discover to list the agent types."
      : `Did you mean: ${this.suggestions.join(", ")}?`
    return `Unknown agent type '${this.name}'${scope}. ${hint}`
  }
}
