import { Effect, Either, Option } from "effect"
import { ConfigFileError } from "../errors/configFile.js"
import { backUp, readConfigFile, writeAtomically } from "./configFiles.js"
import { jsonEqual } from "./Json.js"

/** One configuration file as it is and as an install or uninstall would leave it. */
export interface PlannedFile {
  /** The path as the runtime knows it. */
  readonly path: string
  /** The file actually written (the path with symlinks followed). */
  readonly target: string
  readonly before: Option.Option<string>
  readonly after: string
  /** The mode to keep (the file's own, or 0600 for a new file). */
  readonly mode: number
  /** Whether `after` differs from the file on disk (a missing file left empty is no change). */
  readonly changed: boolean
}

/** What applying a plan did to one file. */
export interface AppliedFile {
  readonly path: string
  readonly outcome: "unchanged" | "created" | "updated"
  /** The copy of the previous file, when it was changed. */
  readonly backup: Option.Option<string>
}

/** How one file's text changes; fails with a reason a person can act on. */
export type TextEdit = (text: string) => Either.Either<string, string>

/** Plans one file: reads it (a missing file reads as empty) and edits its text; fails with ConfigFileError. */
export const planFile = (path: string, edit: TextEdit) =>
  Effect.gen(function*() {
    const existing = yield* readConfigFile(path)
    const before = existing.text
    const after = yield* Either.mapLeft(
      edit(Option.getOrElse(before, () => "")),
      (reason) => new ConfigFileError({ path, reason })
    )
    return {
      path,
      target: existing.target,
      before,
      after,
      mode: Option.getOrElse(existing.mode, () => 0o600),
      changed: Option.match(before, { onNone: () => after !== "", onSome: (text) => text !== after })
    } satisfies PlannedFile
  })

/**
 * Edits a JSON file for `command` (install: an empty file reads as `{}`; uninstall: it stays as it is): an unchanged
 * value keeps the file's own text; a changed one is written with two-space indents.
 */
export const jsonEdit = (
  command: "install" | "uninstall",
  merge: (value: unknown) => Either.Either<unknown, string>
): TextEdit =>
(text) =>
  Either.gen(function*() {
    if (command === "uninstall" && text.trim() === "") return text
    const value = text.trim() === "" ? {} : yield* Either.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) =>
        `not valid JSON (${(error as Error).message}); fix it or move it aside, then run the ${command} again`
    })
    const merged = yield* merge(value)
    return jsonEqual(value, merged) && text.trim() !== "" ? text : `${JSON.stringify(merged, null, 2)}\n`
  })

/**
 * Writes each changed file of a plan: backs the old file up to `<file>.bak-<time>` first, then replaces it
 * atomically with its mode kept; unchanged files are not touched. Fails with ConfigFileError (files written before
 * the failure stay written, each with its backup).
 */
export const applyPlan = (files: ReadonlyArray<PlannedFile>) =>
  Effect.forEach(files, (file) =>
    Effect.gen(function*() {
      if (!file.changed) return { path: file.path, outcome: "unchanged", backup: Option.none() } satisfies AppliedFile
      const backup = Option.isSome(file.before)
        ? Option.some(yield* backUp(file.target, file.mode))
        : Option.none<string>()
      yield* writeAtomically(file.target, file.after, file.mode)
      return {
        path: file.path,
        outcome: Option.isSome(file.before) ? "updated" : "created",
        backup
      } satisfies AppliedFile
    }))
