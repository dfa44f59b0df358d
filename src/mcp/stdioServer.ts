import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { Effect } from "effect"

/** Name and version an MCP server announces. */
export interface ServerInfo {
  readonly name: string
  readonly version: string
  readonly instructions: string
}

/**
 * Serves an MCP server on stdin/stdout until stdin ends or the transport closes; the tools are registered by
 * `register`. Interrupting the effect closes the server.
 */
export const serveStdio = (info: ServerInfo, register: (server: McpServer) => void) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const server = new McpServer(
        { name: info.name, version: info.version },
        { instructions: info.instructions, capabilities: { tools: {} } }
      )
      register(server)
      const transport = new StdioServerTransport()
      await server.connect(transport)
      return { server, transport }
    }),
    ({ transport }) =>
      Effect.async<void>((resume) => {
        const done = () => resume(Effect.void)
        transport.onclose = done
        process.stdin.once("end", done)
        process.stdin.once("close", done)
      }),
    ({ server }) => Effect.promise(() => server.close().catch(() => undefined))
  )
