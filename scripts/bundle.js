import { rmSync } from "node:fs"
import { build } from "esbuild"
import { bundleOptions } from "./bundleOptions.js"

rmSync("dist/bin", { recursive: true, force: true })

await build(bundleOptions("dist", ".js", "dist/bin"))
