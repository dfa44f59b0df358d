import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as BusConfigLive from "../layers/BusConfigLive.js"
import { configLocations } from "../install/configFiles.js"
import { type Check, diagnose } from "../programs/doctor.js"

const line = (check: Check) => `${check.status.padEnd(4)}  ${check.subject}: ${check.detail}`

/** `helioy-bus doctor`: prints one line per check (ok, warn, fail, and what to do); exits 1 when any check fails. */
export const doctorCommand = Command.make("doctor", {}, () =>
  Effect.gen(function*() {
    const config = yield* BusConfigLive.make
    const checks = yield* diagnose({ busDir: config.busDir, tmuxBin: config.tmuxBin, locations: yield* configLocations })
    yield* Console.log(checks.map(line).join("\n"))
    const failed = checks.filter((check) => check.status === "fail").length
    yield* Console.log(failed === 0 ? "\nNo problems found." : `\n${failed} problem(s) found.`)
    if (failed > 0) {
      yield* Effect.sync(() => {
        process.exitCode = 1
      })
    }
  })).pipe(Command.withDescription("Check the bus dir, the registry, tmux and the Claude Code / Codex configuration."))
