/**
 * The built `helioy-bus dev-proxy` with the MCP SDK Client over stdio, in front of a scratch server that is "rebuilt".
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { type CallToolResult, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as readline from "node:readline"
import { afterEach, describe, expect, it } from "vitest"
import { scratchBuild } from "../support/devProxyRig.js"
import { busBin, removeTempDirs } from "../support/mcpClient.js"

const clients: Array<Client> = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)))
  removeTempDirs()
})

/** Connects a client through the proxy; `listChanged()` resolves at the next tools/list_changed notification. */
const connect = async (build: ReturnType<typeof scratchBuild>) => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [busBin, "dev-proxy", "--watch", build.dist, "--entry", build.entry],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: build.root },
    stderr: "pipe"
  })
  let stderr = ""
  const stderrWaits = new Set<() => void>()
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
    for (const check of [...stderrWaits]) check()
  })
  const client = new Client({ name: "dev-proxy-test", version: "0.0.0" })
  clients.push(client)
  const changed: Array<() => void> = []
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    for (const resolve of changed.splice(0)) resolve()
  })
  await client.connect(transport)
  return {
    client,
    stderr: () => stderr,
    listChanged: () => new Promise<void>((resolve) => changed.push(resolve)),
    /** Resolves once the proxy's stderr (the server's passes through it) holds `text`. */
    stderrHas: (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!stderr.includes(text)) return
          stderrWaits.delete(check)
          resolve()
        }
        stderrWaits.add(check)
        check()
      }),
    names: async () => (await client.listTools()).tools.map((tool) => tool.name).sort(),
    text: async (name: string) => {
      const result = (await client.callTool({ name, arguments: {} })) as CallToolResult
      return result.content.map((part) => (part.type === "text" ? part.text : "")).join("")
    }
  }
}

describe("helioy-bus dev-proxy", () => {
  it("keeps an SDK client working across two rebuilds; tools/list reflects a tool added between them", async () => {
    const build = scratchBuild(["echo"])
    const session = await connect(build)
    expect(session.client.getServerCapabilities()?.tools?.listChanged).toBe(true)
    expect(await session.names()).toEqual(["crash", "echo", "hang"])
    expect(await session.text("echo")).toBe("echo from build 1")

    let refreshed = session.listChanged()
    build.rebuild(["echo", "reverse"])
    await refreshed
    expect(await session.names()).toEqual(["crash", "echo", "hang", "reverse"])
    expect(await session.text("reverse")).toBe("reverse from build 2")

    refreshed = session.listChanged()
    build.rebuild(["echo", "reverse"])
    await refreshed
    expect(await session.names()).toEqual(["crash", "echo", "hang", "reverse"])
    expect(await session.text("echo")).toBe("echo from build 3")
  })

  it("answers a call in flight during a restart with a clear error, and serves the next call", async () => {
    const build = scratchBuild(["echo"])
    const session = await connect(build)
    const hanging = session.client.callTool({ name: "hang", arguments: {} })
    await session.stderrHas("hang: started")
    const refreshed = session.listChanged()
    build.rebuild(["echo"])
    await expect(hanging).rejects.toThrow("the server restarted while this call was in flight; call again")
    await refreshed
    expect(await session.text("echo")).toBe("echo from build 2")
  })

  it("after a server crash answers calls with why until a rebuild starts it again", async () => {
    const build = scratchBuild(["echo"])
    const session = await connect(build)
    await expect(session.client.callTool({ name: "crash", arguments: {} })).rejects.toThrow(
      "the server exited with code 3 while this call was in flight"
    )
    await expect(session.client.callTool({ name: "echo", arguments: {} })).rejects.toThrow(
      "the server is not running (it exited with code 3); rebuild to restart it"
    )
    const refreshed = session.listChanged()
    build.rebuild(["echo"])
    await refreshed
    expect(await session.text("echo")).toBe("echo from build 2")
  })

  it("stops the server and exits 0 when the client closes its input", async () => {
    const build = scratchBuild(["echo"])
    const proxy = spawn(process.execPath, [busBin, "dev-proxy", "--watch", build.dist, "--entry", build.entry], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: build.root, DEV_PROXY_TEST_PIDFILE: build.pidFile },
      stdio: ["pipe", "pipe", "inherit"]
    })
    const exited = new Promise<number | null>((resolve) => proxy.once("exit", resolve))
    const firstLine = new Promise<string>((resolve) =>
      readline.createInterface({ input: proxy.stdout }).once("line", resolve)
    )
    proxy.stdin.write(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } }
      }) + "\n"
    )
    expect(JSON.parse(await firstLine)).toMatchObject({
      id: 1,
      result: { capabilities: { tools: { listChanged: true } } }
    })
    const serverPid = Number(fs.readFileSync(build.pidFile, "utf8"))
    proxy.stdin.end()
    expect(await exited).toBe(0)
    expect(() => process.kill(serverPid, 0)).toThrow()
  })
})
