import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import { configLocations } from "../install/configFiles.js"
import { applyPlan } from "../install/configPlan.js"
import type { InstallRuntime } from "../install/install.js"
import { planUninstall } from "../install/uninstall.js"
import { printApplied, printPreview, reportFailure } from "./configChanges.js"
import { runtimeArg } from "./installCommand.js"

const nextSteps: Record<InstallRuntime, string> = {
  claude: "Restart Claude Code sessions to stop loading the helioy-bus server and hooks",
  codex: "Restart Codex to stop loading the helioy-bus server and hooks",
  gemini: "Restart Gemini CLI to stop loading the helioy-bus server and hooks"
}

const uninstall = (runtime: InstallRuntime, dryRun: boolean) =>
  Effect.gen(function*() {
    const files = yield* planUninstall(runtime, yield* configLocations)
    if (dryRun) return yield* printPreview(files, "")
    const results = yield* applyPlan(files)
    yield* printApplied(results)
    if (results.some((result) => result.outcome !== "unchanged")) yield* Console.log(nextSteps[runtime])
  })

/**
 * `helioy-bus uninstall claude|codex|gemini [--dry-run]`: removes what `install` added, backing up each changed file; on
 * failure says why on stderr and exits 1.
 */
export const uninstallCommand = Command.make(
  "uninstall",
  {
    runtime: runtimeArg,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print what would change; write nothing."))
  },
  ({ dryRun, runtime }) => uninstall(runtime, dryRun).pipe(Effect.catchAll(reportFailure(`uninstall ${runtime}`)))
).pipe(
  Command.withDescription(
    "Remove what helioy-bus install added (the helioy-bus MCP server, its hooks, Codex's [features] hooks where " +
      "the install added it) from the Claude Code, Codex or Gemini CLI user configuration, backing up each changed file."
  )
)
