import { rmSync } from "node:fs"
import { resolve } from "node:path"
import { build } from "esbuild"

/** The MCP SDK server's Ajv import, swapped for a validator that loads nothing (Ajv serves only form elicitation). */
const serverWithoutAjv = {
  name: "server-without-ajv",
  setup(build) {
    build.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      /@modelcontextprotocol\/sdk\/dist\/esm\/server\//.test(args.importer)
        ? { path: resolve("dist/mcp/noJsonSchemaValidator.js") }
        : undefined)
  }
}

rmSync("dist/bin", { recursive: true, force: true })

await build({
  entryPoints: {
    "helioy-bus": "dist/cli/bus.js",
    "helioy-warroom": "dist/cli/warroom.js",
    "hook-fast-path": "dist/cli/hookFastPath.js",
    "serve": "dist/mcp/serveMain.js"
  },
  outdir: "dist/bin",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  external: ["better-sqlite3", "bufferutil", "utf-8-validate"],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [serverWithoutAjv],
  logLevel: "warning"
})
