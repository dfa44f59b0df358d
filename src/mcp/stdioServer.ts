import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js"
import { Effect } from "effect"

/** Name and version an MCP server announces. */
export interface ServerInfo {
  readonly name: string
  readonly version: string
  readonly instructions: string
}

/** Follows a request's response out of the process. */
export interface Responses {
  /**
   * Calls `then(true)` once the successful response to `requestId` has been written to stdout, or `then(false)` when
   * it never will be (cancelled, answered with an error, write failed, transport closed); exactly once.
   */
  readonly afterResponse: (requestId: RequestId, signal: AbortSignal, then: (written: boolean) => void) => void
}

/** The response ids awaited by `afterResponse`, settled by a transport whose `send` reports each write. */
const trackResponses = (transport: StdioServerTransport) => {
  const awaited = new Map<RequestId, (written: boolean) => void>()
  const settle = (requestId: RequestId, written: boolean) => {
    const then = awaited.get(requestId)
    awaited.delete(requestId)
    then?.(written)
  }
  const send = transport.send.bind(transport)
  transport.send = async (message: JSONRPCMessage) => {
    const requestId = "id" in message && !("method" in message) ? message.id : undefined
    if (requestId === undefined || !awaited.has(requestId)) return send(message)
    try {
      await send(message)
    } catch (error) {
      settle(requestId, false)
      throw error
    }
    settle(requestId, "result" in message)
  }
  const responses: Responses = {
    afterResponse: (requestId, signal, then) => {
      if (signal.aborted) return then(false)
      awaited.set(requestId, then)
      signal.addEventListener("abort", () => settle(requestId, false), { once: true })
    }
  }
  const closeAll = () => {
    for (const requestId of [...awaited.keys()]) settle(requestId, false)
  }
  return { responses, closeAll }
}

/**
 * Serves an MCP server on stdin/stdout until stdin ends or the transport closes; the tools are registered by
 * `register`, which may follow responses out of the process. Interrupting the effect closes the server.
 */
export const serveStdio = (info: ServerInfo, register: (server: McpServer, responses: Responses) => void) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const server = new McpServer(
        { name: info.name, version: info.version },
        { instructions: info.instructions, capabilities: { tools: {} } }
      )
      const transport = new StdioServerTransport()
      const tracked = trackResponses(transport)
      register(server, tracked.responses)
      await server.connect(transport)
      return { server, transport, closeAll: tracked.closeAll }
    }),
    ({ transport }) =>
      Effect.async<void>((resume) => {
        const done = () => resume(Effect.void)
        const protocolClose = transport.onclose
        transport.onclose = () => {
          protocolClose?.()
          done()
        }
        process.stdin.once("end", done)
        process.stdin.once("close", done)
      }),
    ({ closeAll, server }) =>
      Effect.promise(() => server.close().catch(() => undefined)).pipe(Effect.ensuring(Effect.sync(closeAll)))
  )
