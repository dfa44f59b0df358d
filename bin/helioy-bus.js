#!/usr/bin/env node
const [command, ...rest] = process.argv.slice(2)
const fastEvents = {
  "user-prompt-submit": "UserPromptSubmit",
  "pre-tool-use": "PreToolUse",
  "before-agent": "BeforeAgent"
}
if (command === "hook" && rest[0] in fastEvents) {
  const { fastMailContext } = await import("../dist/bin/hook-fast-path.mjs")
  const output = fastMailContext(process.env, fastEvents[rest[0]])
  if (output !== undefined) {
    if (output !== "") process.stdout.write(output + "\n")
    process.exit(0)
  }
}
// `serve [--warroom] [--bus-url URL]`: the URL becomes HELIOY_BUS_URL (the PostgreSQL bus) before anything loads.
const serveArgs = (args) => {
  const found = { warroom: false }
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--warroom" && !found.warroom) found.warroom = true
    else if (args[i] === "--bus-url" && i + 1 < args.length && found.url === undefined) found.url = args[++i]
    else if (args[i].startsWith("--bus-url=") && found.url === undefined) found.url = args[i].slice(10)
    else return undefined
  }
  return found
}
const serving = command === "serve" ? serveArgs(rest) : undefined
// A server loads only what serving needs; anything else (help, other options) goes through the command line.
if (serving !== undefined) {
  if (serving.url !== undefined) process.env.HELIOY_BUS_URL = serving.url
  // A server is small and lives long: a young generation that stays at its first size and V8's memory-saving
  // heuristics (bench: RSS after 1,000 sends 137 -> 88 MB at the same send latency). Set before anything is compiled.
  const { setFlagsFromString } = await import("node:v8")
  setFlagsFromString("--semi-space-growth-factor=1")
  setFlagsFromString("--optimize-for-size")
  const { runServer } = await import("../dist/bin/serve.mjs")
  runServer({ _tag: "Bus", warroom: serving.warroom })
} else {
  await import("../dist/bin/helioy-bus.mjs")
}
