/** The errors of the MCP stdio edge. */
import { Data } from "effect"

/** The MCP connection broke while the client was still there (a message over the transport's limit, a read error). */
export class TransportClosed extends Data.TaggedError("TransportClosed")<{ readonly reason: string }> {
  override get message() {
    return `the MCP connection closed: ${this.reason}`
  }
}
