#!/usr/bin/env node
const [command, event] = process.argv.slice(2)
const fastEvents = { "user-prompt-submit": "UserPromptSubmit", "pre-tool-use": "PreToolUse" }
if (command === "hook" && event in fastEvents) {
  const { fastMailContext } = await import("../dist/bin/hook-fast-path.mjs")
  const output = fastMailContext(process.env, fastEvents[event])
  if (output !== undefined) {
    if (output !== "") process.stdout.write(output + "\n")
    process.exit(0)
  }
}
await import("../dist/bin/helioy-bus.mjs")
