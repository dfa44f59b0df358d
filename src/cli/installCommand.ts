import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { diffPreview } from "../install/diffPreview.js"
import { configLocations } from "../install/configFiles.js"
import { applyInstall, type InstallRuntime, type PlannedFile, planInstall } from "../install/install.js"
import { thisInstallation } from "../install/thisInstallation.js"

const nextSteps: Record<InstallRuntime, string> = {
  claude: "Restart Claude Code sessions to load the helioy-bus server and hooks; check the setup with: helioy-bus doctor",
  codex: "Restart Codex to load the helioy-bus server and hooks (if Codex asks you to review new hooks, trust them); " +
    "check the setup with: helioy-bus doctor"
}

const preview = (file: PlannedFile): string => {
  if (!file.changed) return `unchanged ${file.path}`
  return Option.match(file.before, {
    onNone: () => `would create ${file.path}:\n${file.after.replace(/\n$/, "").split("\n").map((line) => `+ ${line}`).join("\n")}`,
    onSome: (before) => `would update ${file.path} (after a backup):\n${diffPreview(before, file.after)}`
  })
}

const install = (runtime: InstallRuntime, dryRun: boolean) =>
  Effect.gen(function*() {
    const installation = thisInstallation()
    const files = yield* planInstall(runtime, yield* configLocations, installation)
    if (dryRun) {
      yield* Console.log(files.map(preview).join("\n\n"))
      yield* Console.log(`\n(dry run: nothing was written; the commands run ${installation.node} ${installation.bin})`)
      return
    }
    for (const result of yield* applyInstall(files)) {
      yield* Console.log(
        result.outcome === "unchanged"
          ? `unchanged ${result.path}`
          : `${result.outcome} ${result.path}${Option.match(result.backup, { onNone: () => "", onSome: (backup) => ` (backup: ${backup})` })}`
      )
    }
    yield* Console.log(nextSteps[runtime])
  })

/** `helioy-bus install claude|codex [--dry-run]`: wires a runtime to this installation; on failure says why on stderr and exits 1. */
export const installCommand = Command.make(
  "install",
  {
    runtime: Args.choice([["claude", "claude"], ["codex", "codex"]] as const, { name: "runtime" }),
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print what would change; write nothing."))
  },
  ({ dryRun, runtime }) =>
    install(runtime, dryRun).pipe(
      Effect.catchAll((error) =>
        Effect.zipRight(
          Console.error(`helioy-bus install ${runtime}: ${error.message}`),
          Effect.sync(() => {
            process.exitCode = 1
          })
        )
      )
    )
).pipe(
  Command.withDescription(
    "Add the helioy-bus MCP server and hooks to the user configuration of Claude Code (~/.claude.json, " +
      "~/.claude/settings.json) or Codex (~/.codex/config.toml, ~/.codex/hooks.json), backing up each changed file."
  )
)
