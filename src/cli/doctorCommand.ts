import { Command, Options } from "@effect/cli"
import { Console, Effect, Option, Schema } from "effect"
import { configLocations } from "../install/configFiles.js"
import { DoctorLive } from "../layers/AppLive.js"
import { Check } from "../programs/doctor/Check.js"
import { diagnose } from "../programs/doctor/diagnose.js"

/** What `helioy-bus doctor --json` prints: whether every check passed, how many failed, and each check. */
const DoctorReport = Schema.Struct({ ok: Schema.Boolean, problems: Schema.Number, checks: Schema.Array(Check) })

const encodeReport = Schema.encodeSync(DoctorReport)

/** A check as one plain line (no colour): `status  name: detail; fix`. */
const line = (check: Check) =>
  `${check.status.padEnd(4)}  ${check.name}: ${check.detail}${
    Option.match(check.fix, { onNone: () => "", onSome: (fix) => `; ${fix}` })
  }`

const json = Options.boolean("json").pipe(
  Options.withDescription("Print one JSON document: { ok, problems, checks: [{ name, status, detail, fix }] }.")
)

/**
 * `helioy-bus doctor [--json]`: prints one line per check (ok, warn, fail, and what to do), or one JSON document;
 * exits 1 when any check fails.
 */
export const doctorCommand = Command.make("doctor", { json }, (options) =>
  Effect.gen(function*() {
    const checks = yield* diagnose(yield* configLocations)
    const problems = checks.filter((check) => check.status === "fail").length
    if (options.json) {
      yield* Console.log(JSON.stringify(encodeReport({ ok: problems === 0, problems, checks }), null, 2))
    } else {
      yield* Console.log(checks.map(line).join("\n"))
      yield* Console.log(problems === 0 ? "\nNo problems found." : `\n${problems} problem(s) found.`)
    }
    if (problems > 0) {
      yield* Effect.sync(() => {
        process.exitCode = 1
      })
    }
  }).pipe(Effect.provide(DoctorLive))).pipe(
    Command.withDescription(
      "Check the bus dir, the registry, tmux and the Claude Code / Codex / Gemini CLI configuration; change nothing."
    )
  )
