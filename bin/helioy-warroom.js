#!/usr/bin/env node
import { fileURLToPath, URL } from "node:url"
// Members launched through `helioy-bus run` (codex, grok) need the bus CLI, not this one.
process.env.HELIOY_BUS_BIN ??= fileURLToPath(new URL("./helioy-bus.js", import.meta.url))
// A server loads only what serving needs; anything else goes through the command line.
if (process.argv.length === 3 && process.argv[2] === "serve") {
  const { runServer } = await import("../dist/bin/serve.mjs")
  runServer({ _tag: "Warroom" })
} else {
  await import("../dist/bin/helioy-warroom.mjs")
}
