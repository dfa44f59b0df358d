import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js"
import { Effect } from "effect"
import { TransportClosed } from "../errors/mcp.js"

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

/** Why the SDK's stdio transport gave up, in words. */
const closeReason = (error: Error | undefined): string => {
  const tooLong = /ReadBuffer exceeded maximum size of (\d+)/.exec(error?.message ?? "")
  if (tooLong) {
    const mib = Math.round(Number(tooLong[1]) / 1024 / 1024)
    return `the client sent a JSON-RPC message longer than ${mib} MiB, the limit of the MCP stdio transport; ` +
      "nothing after it can be read, so the server stops (send large content as a file path instead)"
  }
  return error === undefined
    ? "the transport closed while stdin was still open"
    : `the transport failed: ${error.message}`
}

/**
 * Serves an MCP server on stdin/stdout until stdin ends or the transport closes; the tools are registered by
 * `register`, which may follow responses out of the process. Interrupting the effect closes the server. Fails with
 * TransportClosed, saying why, when the transport closes while the client is still connected.
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
      Effect.async<void, TransportClosed>((resume) => {
        let ended = false
        let lastError: Error | undefined
        const done = () => {
          ended = true
          resume(Effect.void)
        }
        const protocolError = transport.onerror
        transport.onerror = (error) => {
          lastError = error
          protocolError?.(error)
        }
        const protocolClose = transport.onclose
        transport.onclose = () => {
          protocolClose?.()
          if (ended || process.stdin.readableEnded) done()
          else resume(Effect.fail(new TransportClosed({ reason: closeReason(lastError) })))
        }
        process.stdin.once("end", done)
        process.stdin.once("close", done)
      }),
    ({ closeAll, server }) =>
      Effect.promise(() => server.close().catch(() => undefined)).pipe(Effect.ensuring(Effect.sync(closeAll)))
  )
