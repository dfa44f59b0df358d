#!/usr/bin/env node
const [command, event] = process.argv.slice(2)
if (command === "hook" && (event === "user-prompt-submit" || event === "pre-tool-use")) {
  const { noMailWaiting } = await import("../dist/bin/hook-fast-path.mjs")
  if (noMailWaiting(process.env)) process.exit(0)
}
await import("../dist/bin/helioy-bus.mjs")
