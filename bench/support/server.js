/**
 * The built binaries, and `helioy-bus serve` (or `helioy-warroom serve`) started behind an MCP SDK Client over stdio.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { fileURLToPath, URL } from "node:url"
import { onCleanup } from "./cleanup.js"

/** The built executable (`npm run build` must have run). */
export const busBin = fileURLToPath(new URL("../../bin/helioy-bus.js", import.meta.url))

/** The built warroom executable. */
export const warroomBin = fileURLToPath(new URL("../../bin/helioy-warroom.js", import.meta.url))

/** Starts `bin serve` with HOME, HELIOY_BUS_DIR and `env`, behind a Client; rejects if it fails to connect. */
export const startServer = async ({ home, busDir, agentId, env = {}, bin = busBin }) => {
  // The SDK adds PATH, USER, ... to `env`; the server is closed at cleanup too.
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "serve"],
    env: {
      HOME: home,
      HELIOY_BUS_DIR: busDir,
      HELIOY_BUS_LOG_LEVEL: "warning",
      ...(agentId === undefined ? {} : { HELIOY_AGENT_ID: agentId }),
      ...env
    },
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000)
  })
  const client = new Client({ name: "helioy-bus-bench", version: "0.0.0" })
  let closed = false
  /** Closes the Client (and so the server), once; never rejects. */
  const close = async () => {
    if (closed) return
    closed = true
    await client.close().catch(() => undefined)
  }
  onCleanup(close)
  await client.connect(transport)
  /** Calls a tool and resolves with its structured content; rejects on a tool error, with the server's stderr. */
  const call = async (name, args = {}) => {
    const result = await client.callTool({ name, arguments: args })
    if (result.isError) {
      const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n")
      throw new Error(`${name} failed: ${text}\nserver stderr: ${stderr}`)
    }
    return result.structuredContent
  }
  return { client, call, pid: transport.pid, close }
}
