import { rmSync } from "node:fs"
import { build } from "esbuild"

rmSync("dist/bin", { recursive: true, force: true })
rmSync("dist/lib", { recursive: true, force: true })

// CommonJS dependencies (ajv, cross-spawn, ...) call `require`; an ES module has none until it makes one.
const requireBanner = {
  js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
}

// The executables: everything but the native SQLite binding (and ws's optional native helpers) inside.
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
  banner: requireBanner,
  logLevel: "warning"
})

// The library entry: Effect and its packages come from the caller (peer dependencies, one copy shared with the
// caller's own code); the rest (MCP SDK, zod, yaml) is inside, so a library user installs nothing else.
await build({
  entryPoints: { index: "dist/index.js" },
  outdir: "dist/lib",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["effect", "effect/*", "@effect/*"],
  banner: requireBanner,
  logLevel: "warning"
})
