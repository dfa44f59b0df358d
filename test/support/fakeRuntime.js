#!/usr/bin/env node
/**
 * A stand-in agent runtime for the launch wrapper tests. It prints one JSON line with what it was given
 * ({"ready": true, pid, ppid, codexPid, runtime, busCwd, args}), then waits: the stdin line `exit <code>` ends it with
 * that code; SIGHUP, SIGTERM or SIGINT print {"signal": "<name>"} and end it with 128+signal; stdin closing ends it (0).
 */
import { constants } from "node:os"
import { createInterface } from "node:readline"

const say = (value) => process.stdout.write(JSON.stringify(value) + "\n")

for (const signal of ["SIGHUP", "SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    say({ signal })
    process.exit(128 + constants.signals[signal])
  })
}

createInterface({ input: process.stdin })
  .on("line", (line) => {
    const match = /^exit (\d+)$/.exec(line.trim())
    if (match) process.exit(Number(match[1]))
  })
  .on("close", () => process.exit(0))

say({
  ready: true,
  pid: process.pid,
  ppid: process.ppid,
  codexPid: process.env.HELIOY_BUS_CODEX_PID ?? null,
  runtime: process.env.HELIOY_RUNTIME ?? null,
  busCwd: process.env.HELIOY_BUS_CWD ?? null,
  args: process.argv.slice(2)
})
