import { Effect, Either, Option } from "effect"
import { withClaudeHooks, withClaudeMcpServer } from "./ClaudeConfig.js"
import { withCodexConfig } from "./CodexConfig.js"
import { withCodexHooks } from "./CodexHooks.js"
import type { Installation } from "./Installation.js"
import { jsonEqual } from "./Json.js"
import { backUp, type ConfigLocations, ConfigFileError, readConfigFile, writeAtomically } from "./configFiles.js"

/** The runtimes `helioy-bus install` wires up. */
export type InstallRuntime = "claude" | "codex"

/** One configuration file as it is and as the install would leave it. */
export interface PlannedFile {
  /** The path as the runtime knows it. */
  readonly path: string
  /** The file actually written (the path with symlinks followed). */
  readonly target: string
  readonly before: Option.Option<string>
  readonly after: string
  /** The mode to keep (the file's own, or 0600 for a new file). */
  readonly mode: number
  /** Whether `after` differs from the file on disk. */
  readonly changed: boolean
}

/** What an applied install did to one file. */
export interface InstalledFile {
  readonly path: string
  readonly outcome: "unchanged" | "created" | "updated"
  /** The copy of the previous file, when it was changed. */
  readonly backup: Option.Option<string>
}

const plan = (path: string, edit: (text: string) => Either.Either<string, string>) =>
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
      changed: Option.match(before, { onNone: () => true, onSome: (text) => text !== after })
    } satisfies PlannedFile
  })

/** Edits a JSON file: an unchanged value keeps the file's own text; a changed one is written with two-space indents. */
const jsonEdit = (merge: (value: unknown) => Either.Either<unknown, string>) => (text: string) =>
  Either.gen(function*() {
    const value = text.trim() === "" ? {} : yield* Either.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) => `not valid JSON (${(error as Error).message}); fix it or move it aside, then run the install again`
    })
    const merged = yield* merge(value)
    return jsonEqual(value, merged) && text.trim() !== "" ? text : `${JSON.stringify(merged, null, 2)}\n`
  })

/**
 * What installing a runtime would write: Claude Code's user MCP server (`~/.claude.json`) and hooks
 * (`~/.claude/settings.json`), or Codex's `config.toml` and `hooks.json`, each merged into what is there. Reads only.
 * Fails with ConfigFileError when a file cannot be read or is not of a shape it can merge into.
 */
export const planInstall = (runtime: InstallRuntime, locations: ConfigLocations, installation: Installation) =>
  runtime === "claude"
    ? Effect.all([
      plan(locations.claudeJson, jsonEdit((value) => withClaudeMcpServer(value, installation))),
      plan(locations.claudeSettings, jsonEdit((value) => withClaudeHooks(value, installation)))
    ])
    : Effect.all([
      plan(locations.codexConfig, (text) => withCodexConfig(text, installation)),
      plan(locations.codexHooks, jsonEdit((value) => withCodexHooks(value, installation)))
    ])

/**
 * Writes each changed file of a plan: backs the old file up to `<file>.bak-<time>` first, then replaces it
 * atomically with its mode kept; unchanged files are not touched. Fails with ConfigFileError (files written before
 * the failure stay written, each with its backup).
 */
export const applyInstall = (files: ReadonlyArray<PlannedFile>) =>
  Effect.forEach(files, (file) =>
    Effect.gen(function*() {
      if (!file.changed) return { path: file.path, outcome: "unchanged", backup: Option.none() } satisfies InstalledFile
      const backup = Option.isSome(file.before) ? Option.some(yield* backUp(file.target, file.mode)) : Option.none<string>()
      yield* writeAtomically(file.target, file.after, file.mode)
      return {
        path: file.path,
        outcome: Option.isSome(file.before) ? "updated" : "created",
        backup
      } satisfies InstalledFile
    }))
