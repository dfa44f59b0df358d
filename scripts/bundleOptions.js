import { resolve } from "node:path"

/** The MCP SDK server's Ajv import, swapped for a validator that loads nothing (Ajv serves only form elicitation). */
const serverWithoutAjv = (sourceDir, extension) => ({
  name: "server-without-ajv",
  setup(build) {
    build.onResolve(
      { filter: /\/validation\/ajv-provider\.js$/ },
      (args) =>
        /@modelcontextprotocol\/sdk\/dist\/esm\/server\//.test(args.importer)
          ? {
            path: resolve(
              build.initialOptions.absWorkingDir ?? process.cwd(),
              `${sourceDir}/mcp/noJsonSchemaValidator${extension}`
            )
          }
          : undefined
    )
  }
})

// CommonJS dependencies (ajv, cross-spawn, ...) call `require`; an ES module has none until it makes one.
const requireBanner = {
  js:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
}

/**
 * The esbuild options of the four bundles in dist/bin, from the modules under `sourceDir` ending in `extension`:
 * tsc's output (dist, ".js") for `npm run build`, or the TypeScript sources (src, ".ts") for the plugin's bootstrap.
 * better-sqlite3 (native) stays outside the bundles; so do ws's optional native helpers and pg's (pg-native, never
 * used: pg runs in pure JavaScript).
 */
export const bundleOptions = (sourceDir, extension, outdir) => ({
  entryPoints: {
    "helioy-bus": `${sourceDir}/cli/bus${extension}`,
    "helioy-warroom": `${sourceDir}/cli/warroom${extension}`,
    "hook-fast-path": `${sourceDir}/cli/hookFastPath${extension}`,
    "serve": `${sourceDir}/mcp/serveMain${extension}`
  },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  external: ["better-sqlite3", "bufferutil", "utf-8-validate", "pg-native"],
  banner: requireBanner,
  plugins: [serverWithoutAjv(sourceDir, extension)],
  logLevel: "warning"
})

/**
 * The esbuild options of the library entry: Effect and its packages left to the caller (peers), the rest inside. Split
 * into chunks, so that the PostgreSQL layers (and their import of the optional peer @effect/sql-pg) load only when a
 * caller's graph is built on a postgres URL.
 */
export const libraryOptions = (entry, outdir) => ({
  entryPoints: { index: entry },
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  external: ["effect", "effect/*", "@effect/*"],
  banner: requireBanner,
  logLevel: "warning"
})
