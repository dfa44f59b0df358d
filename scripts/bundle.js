import { build } from "esbuild"
import { rmSync } from "node:fs"
import { bundleOptions, libraryOptions } from "./bundleOptions.js"

rmSync("dist/bin", { recursive: true, force: true })
rmSync("dist/lib", { recursive: true, force: true })

// The executables: everything but the native SQLite binding (and ws's optional native helpers) inside.
await build(bundleOptions("dist", ".js", "dist/bin"))

// The library entry: Effect and its packages come from the caller (peer dependencies, one copy shared with the
// caller's own code); the rest (MCP SDK, zod, yaml) is inside, so a library user installs nothing else.
await build(libraryOptions("dist/index.js", "dist/lib"))
