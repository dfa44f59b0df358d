import { Args, Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import { configLocations } from "../install/configFiles.js"
import { applyInstall, type InstallRuntime, planInstall } from "../install/install.js"
import { thisInstallation } from "../install/thisInstallation.js"
import { printApplied, printPreview, reportFailure } from "./configChanges.js"

const nextSteps: Record<InstallRuntime, string> = {
  claude:
    "Restart Claude Code sessions to load the helioy-bus server and hooks; check the setup with: helioy-bus doctor",
  codex: "Restart Codex to load the helioy-bus server and hooks (if Codex asks you to review new hooks, trust them); " +
    "check the setup with: helioy-bus doctor",
  gemini: "Restart Gemini CLI to load the helioy-bus server and hooks; Gemini starts MCP servers only in trusted " +
    "folders (trust each project when Gemini asks); check the setup with: helioy-bus doctor"
}

const install = (runtime: InstallRuntime, dryRun: boolean) =>
  Effect.gen(function*() {
    const installation = thisInstallation()
    const files = yield* planInstall(runtime, yield* configLocations, installation)
    if (dryRun) return yield* printPreview(files, `; the commands run ${installation.node} ${installation.bin}`)
    yield* printApplied(yield* applyInstall(files))
    yield* Console.log(nextSteps[runtime])
  })

/** The runtime argument of `install` and `uninstall`. */
export const runtimeArg = Args.choice([["claude", "claude"], ["codex", "codex"], ["gemini", "gemini"]] as const, {
  name: "runtime"
})

/**
 * `helioy-bus install claude|codex|gemini [--dry-run]`: wires a runtime to this installation; on failure says why on stderr
 * and exits 1.
 */
export const installCommand = Command.make(
  "install",
  {
    runtime: runtimeArg,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print what would change; write nothing."))
  },
  ({ dryRun, runtime }) => install(runtime, dryRun).pipe(Effect.catchAll(reportFailure(`install ${runtime}`)))
).pipe(
  Command.withDescription(
    "Add the helioy-bus MCP server and hooks to the user configuration of Claude Code (~/.claude.json, " +
      "~/.claude/settings.json), Codex (~/.codex/config.toml, ~/.codex/hooks.json) or Gemini CLI " +
      "(~/.gemini/settings.json), backing up each changed file."
  )
)
