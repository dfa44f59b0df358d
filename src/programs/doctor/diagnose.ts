import { Effect, Option } from "effect"
import type { ConfigLocations } from "../../install/configFiles.js"
import { BusConfig } from "../../services/BusConfig.js"
import { busDirCheck } from "./busDirCheck.js"
import { type Check, fail } from "./Check.js"
import { claudeCheck } from "./claudeCheck.js"
import { codexCheck } from "./codexCheck.js"
import { geminiCheck } from "./geminiCheck.js"
import { postgresChecks } from "./postgresCheck.js"
import { registryCheck } from "./registryCheck.js"
import { tmuxCheck } from "./tmuxCheck.js"

/**
 * Diagnoses a setup without changing anything: the bus dir, the registry (on a PostgreSQL bus: the connection, schema
 * version and clock skew instead), tmux, and the Claude Code, Codex and Gemini CLI configuration (Gemini's folder
 * trust for `projectDir`), in that order, then whether any runtime is wired at all. Never fails: whatever goes wrong
 * is a `fail` check saying what to do.
 */
export const diagnose = (locations: ConfigLocations, projectDir: string = process.cwd()) =>
  Effect.gen(function*() {
    const busDir = yield* busDirCheck
    const registry = Option.isSome((yield* BusConfig).busUrl) ? yield* postgresChecks : [yield* registryCheck]
    const tmux = yield* tmuxCheck
    const claude = yield* claudeCheck(locations)
    const codex = yield* codexCheck(locations)
    const gemini = yield* geminiCheck(locations, projectDir)
    const runtimes = claude.wired || codex.wired || gemini.wired
      ? []
      : [
        fail(
          "runtimes",
          "no agent runtime is wired to the bus",
          "run helioy-bus install claude, helioy-bus install codex or helioy-bus install gemini"
        )
      ]
    return [
      busDir,
      ...registry,
      tmux,
      ...claude.checks,
      ...codex.checks,
      ...gemini.checks,
      ...runtimes
    ] satisfies ReadonlyArray<Check>
  })
