/**
 * The esbuild options of the four bundles in dist/bin, from the modules under `sourceDir` ending in `extension`:
 * tsc's output (dist, ".js") for `npm run build`, or the TypeScript sources (src, ".ts") for the plugin's bootstrap.
 * better-sqlite3 (native) stays outside the bundles; so do ws's optional native helpers.
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
  external: ["better-sqlite3", "bufferutil", "utf-8-validate"],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning"
})
