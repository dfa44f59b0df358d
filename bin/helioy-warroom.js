#!/usr/bin/env node
import { fileURLToPath, URL } from "node:url"
// Members launched through `helioy-bus run` (codex, grok) need the bus CLI, not this one.
process.env.HELIOY_BUS_BIN ??= fileURLToPath(new URL("./helioy-bus.js", import.meta.url))
await import("../dist/bin/helioy-warroom.mjs")
