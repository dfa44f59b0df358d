import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { Effect, Schema } from "effect"
import { DemoFailed } from "../errors/demo.js"

/** One running `helioy-bus serve` child with a connected MCP client. */
export interface DemoServer {
  readonly agentId: string
  readonly client: Client
  /** The tail of what the server wrote to stderr, for error reports. */
  readonly stderr: () => string
}

/** The message of a thrown value, for a DemoFailed reason. */
export const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Starts this binary as `helioy-bus serve` for `agentId` on `busDir` (plus `env`) and connects an MCP client;
 * closed (and the child ended) when the scope closes; fails with DemoFailed when the server cannot be started.
 */
export const demoServer = (agentId: string, busDir: string, env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async (): Promise<DemoServer> => {
        const script = process.argv[1]
        if (script === undefined) throw new Error("cannot tell which script is running (process.argv[1] is missing)")
        const transport = new StdioClientTransport({
          command: process.execPath,
          args: [script, "serve"],
          env: { HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: agentId, ...env },
          stderr: "pipe"
        })
        let stderr = ""
        transport.stderr?.on("data", (chunk: Buffer) => {
          stderr = (stderr + chunk.toString("utf8")).slice(-2000)
        })
        const client = new Client({ name: "helioy-bus-demo", version: "0.0.0" })
        try {
          await client.connect(transport)
        } catch (error) {
          await transport.close().catch(() => undefined)
          throw new Error(`${reasonOf(error)}${stderr === "" ? "" : `\n${stderr}`}`)
        }
        return { agentId, client, stderr: () => stderr }
      },
      catch: (error) => new DemoFailed({ step: `starting the server of ${agentId}`, reason: reasonOf(error) })
    }),
    (server) => Effect.promise(() => server.client.close().catch(() => undefined))
  )

/**
 * Calls a tool on a server and decodes its structuredContent with `schema`; fails with DemoFailed on a tool
 * error, a broken connection or a result of another shape.
 */
export const callTool = <A, I>(
  server: DemoServer,
  name: string,
  args: Record<string, unknown>,
  schema: Schema.Schema<A, I>
) => {
  const failed = (reason: string) => new DemoFailed({ step: `${server.agentId}: ${name}`, reason })
  return Effect.tryPromise({
    try: () => server.client.callTool({ name, arguments: args }),
    catch: (error) => failed(`${reasonOf(error)}\n${server.stderr()}`)
  }).pipe(
    Effect.flatMap((result) => {
      const structured = (result.structuredContent ?? {}) as Record<string, unknown>
      return result.isError ? Effect.fail(failed(String(structured.error ?? "tool error"))) : Effect.succeed(structured)
    }),
    Effect.flatMap((structured) =>
      Schema.decodeUnknown(schema)(structured).pipe(
        Effect.mapError((error) => failed(`unexpected result: ${error.message}`))
      )
    )
  )
}
