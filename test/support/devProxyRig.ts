/**
 * A scratch "build" for the dev proxy: a tiny MCP server script (written with the SDK) in a temp `dist/`, replaced
 * atomically to simulate a rebuild, and the built `helioy-bus dev-proxy` pointed at it.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { makeTempDir } from "./mcpClient.js"

const sdk = (path: string) =>
  pathToFileURL(
    fileURLToPath(new URL(`../../node_modules/@modelcontextprotocol/sdk/dist/esm/${path}`, import.meta.url))
  ).href

/**
 * The source of build `build` of the test server: a tool per name in `tools` answering "<name> from build <build>",
 * plus `hang` (logs "hang: started" on stderr, never answers) and `crash` (exits with code 3).
 */
const serverSource = (build: number, tools: ReadonlyArray<string>) => `
import { McpServer } from ${JSON.stringify(sdk("server/mcp.js"))}
import { StdioServerTransport } from ${JSON.stringify(sdk("server/stdio.js"))}
import { writeFileSync } from "node:fs"
if (process.env.DEV_PROXY_TEST_PIDFILE) writeFileSync(process.env.DEV_PROXY_TEST_PIDFILE, String(process.pid))
const server = new McpServer({ name: "dev-proxy-test", version: "${build}" })
for (const name of ${JSON.stringify(tools)}) {
  server.registerTool(name, { description: "answers with its build" }, async () => ({
    content: [{ type: "text", text: name + " from build ${build}" }]
  }))
}
server.registerTool("hang", { description: "never answers" }, async () => {
  process.stderr.write("hang: started\\n")
  return new Promise(() => {})
})
server.registerTool("crash", { description: "exits" }, async () => process.exit(3))
await server.connect(new StdioServerTransport())
`

/** A scratch dist/ holding `server.mjs`; `rebuild` replaces that file atomically (write aside, rename over). */
export const scratchBuild = (tools: ReadonlyArray<string>) => {
  const root = makeTempDir("helioy-dev-proxy-")
  const dist = join(root, "dist")
  const staging = join(root, "staging")
  fs.mkdirSync(dist)
  fs.mkdirSync(staging)
  const entry = join(dist, "server.mjs")
  let build = 0
  const rebuild = (next: ReadonlyArray<string>) => {
    build += 1
    const aside = join(staging, `server-${build}.mjs`)
    fs.writeFileSync(aside, serverSource(build, next))
    fs.renameSync(aside, entry)
  }
  rebuild(tools)
  return { root, dist, entry, rebuild, pidFile: join(root, "server.pid") }
}
