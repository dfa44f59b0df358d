import { Console, Effect, Option } from "effect"
import type { AppliedFile, PlannedFile } from "../install/configPlan.js"
import { diffPreview } from "../install/diffPreview.js"

const preview = (file: PlannedFile): string => {
  if (!file.changed) return `unchanged ${file.path}`
  return Option.match(file.before, {
    onNone: () =>
      `would create ${file.path}:\n${file.after.replace(/\n$/, "").split("\n").map((line) => `+ ${line}`).join("\n")}`,
    onSome: (before) => `would update ${file.path} (after a backup):\n${diffPreview(before, file.after)}`
  })
}

/** Prints what a plan would change, file by file (a diff of each change), and that nothing was written; never fails. */
export const printPreview = (files: ReadonlyArray<PlannedFile>, footnote: string) =>
  Effect.zipRight(
    Console.log(files.map(preview).join("\n\n")),
    Console.log(`\n(dry run: nothing was written${footnote})`)
  )

/** Prints what applying a plan did, one line per file (with its backup); never fails. */
export const printApplied = (results: ReadonlyArray<AppliedFile>) =>
  Effect.forEach(results, (result) =>
    Console.log(
      result.outcome === "unchanged"
        ? `unchanged ${result.path}`
        : `${result.outcome} ${result.path}${
          Option.match(result.backup, { onNone: () => "", onSome: (backup) => ` (backup: ${backup})` })
        }`
    ), { discard: true })

/** Says on stderr why a command failed and sets exit status 1; never fails. */
export const reportFailure = (command: string) => (error: { readonly message: string }) =>
  Effect.zipRight(
    Console.error(`helioy-bus ${command}: ${error.message}`),
    Effect.sync(() => {
      process.exitCode = 1
    })
  )
