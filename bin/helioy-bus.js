#!/usr/bin/env node
const [command, ...rest] = process.argv.slice(2)
const fastEvents = { "user-prompt-submit": "UserPromptSubmit", "pre-tool-use": "PreToolUse" }
if (command === "hook" && rest[0] in fastEvents) {
  const { fastMailContext } = await import("../dist/bin/hook-fast-path.mjs")
  const output = fastMailContext(process.env, fastEvents[rest[0]])
  if (output !== undefined) {
    if (output !== "") process.stdout.write(output + "\n")
    process.exit(0)
  }
}
// A server loads only what serving needs; anything else (help, other options) goes through the command line.
if (command === "serve" && (rest.length === 0 || (rest.length === 1 && rest[0] === "--warroom"))) {
  const { runServer } = await import("../dist/bin/serve.mjs")
  runServer({ _tag: "Bus", warroom: rest.length === 1 })
} else {
  await import("../dist/bin/helioy-bus.mjs")
}
