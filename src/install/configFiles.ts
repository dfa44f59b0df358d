import { FileSystem } from "@effect/platform"
import { Clock, Config, Effect, Option } from "effect"
import { mkdirSync } from "node:fs"
import { homedir } from "node:os"
import { basename, dirname, join } from "node:path"
import { replaceFileAtomically } from "../busFiles/atomicWrite.js"
import { describeFileError } from "../busFiles/fileErrors.js"
import { ConfigFileError } from "../errors/configFile.js"

/** Where Claude Code and Codex keep the user's configuration. */
export interface ConfigLocations {
  /** `~/.claude.json` (or `$CLAUDE_CONFIG_DIR/.claude.json`): user-scope MCP servers. */
  readonly claudeJson: string
  /** `~/.claude/settings.json` (or `$CLAUDE_CONFIG_DIR/settings.json`): hooks, enabled plugins. */
  readonly claudeSettings: string
  /** `~/.codex/config.toml` (or `$CODEX_HOME/config.toml`). */
  readonly codexConfig: string
  /** `~/.codex/hooks.json` (or `$CODEX_HOME/hooks.json`). */
  readonly codexHooks: string
  /** `~/.gemini/settings.json` (or `$GEMINI_CLI_HOME/.gemini/settings.json`): MCP servers and hooks. */
  readonly geminiSettings: string
  /**
   * `~/.gemini/trustedFolders.json` (or `$GEMINI_CLI_HOME/.gemini/…`, or `$GEMINI_CLI_TRUSTED_FOLDERS_PATH`): the
   * folders Gemini CLI trusts (it starts MCP servers only in those).
   */
  readonly geminiTrustedFolders: string
}

const optional = (name: string) => Config.string(name).pipe(Config.withDefault(""))

/**
 * The configuration files under HOME (CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME and
 * GEMINI_CLI_TRUSTED_FOLDERS_PATH move them as the runtimes do); fails on a malformed variable.
 */
export const configLocations = Effect.gen(function*() {
  const home = yield* Config.string("HOME").pipe(Config.withDefault(homedir()))
  const claudeDir = yield* optional("CLAUDE_CONFIG_DIR")
  const codexHome = yield* optional("CODEX_HOME")
  const codexDir = codexHome === "" ? join(home, ".codex") : codexHome
  const geminiDir = join((yield* optional("GEMINI_CLI_HOME")) || home, ".gemini")
  const trustedFolders = yield* optional("GEMINI_CLI_TRUSTED_FOLDERS_PATH")
  return {
    claudeJson: claudeDir === "" ? join(home, ".claude.json") : join(claudeDir, ".claude.json"),
    claudeSettings: join(claudeDir === "" ? join(home, ".claude") : claudeDir, "settings.json"),
    codexConfig: join(codexDir, "config.toml"),
    codexHooks: join(codexDir, "hooks.json"),
    geminiSettings: join(geminiDir, "settings.json"),
    geminiTrustedFolders: trustedFolders || join(geminiDir, "trustedFolders.json")
  } satisfies ConfigLocations
})

const failWith = (path: string, doing: string) => (error: { readonly message: string }) =>
  new ConfigFileError({ path, reason: `cannot ${doing} (${error.message})` })

/** A configuration file as found: the path to write (symlinks followed), its text and mode when it exists. */
export interface ExistingFile {
  readonly path: string
  readonly target: string
  readonly text: Option.Option<string>
  readonly mode: Option.Option<number>
}

/**
 * Reads a configuration file, following a symlink to the file it names; a missing file reads as none. Fails with
 * ConfigFileError.
 */
export const readConfigFile = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(path).pipe(Effect.mapError(failWith(path, "check it")))
    if (!exists) return { path, target: path, text: Option.none(), mode: Option.none() } satisfies ExistingFile
    const target = yield* fs.realPath(path).pipe(Effect.mapError(failWith(path, "resolve it")))
    const info = yield* fs.stat(target).pipe(Effect.mapError(failWith(path, "read it")))
    if (info.type !== "File") {
      return yield* new ConfigFileError({ path, reason: "it is not a regular file; move it aside" })
    }
    const text = yield* fs.readFileString(target).pipe(Effect.mapError(failWith(path, "read it")))
    return { path, target, text: Option.some(text), mode: Option.some(info.mode & 0o777) } satisfies ExistingFile
  })

const stampOf = (millis: number) => new Date(millis).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")

/**
 * Copies a file to `<file>.bak-<UTC time>` (a free name), with the file's mode; returns the copy's path. Fails with
 * ConfigFileError.
 */
export const backUp = (target: string, mode: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const base = `${target}.bak-${stampOf(yield* Clock.currentTimeMillis)}`
    let backup = base
    for (let n = 2; yield* fs.exists(backup).pipe(Effect.mapError(failWith(backup, "check it"))); n++) {
      backup = `${base}-${n}`
    }
    yield* fs.copyFile(target, backup).pipe(Effect.mapError(failWith(target, `back it up to ${backup}`)))
    yield* fs.chmod(backup, mode).pipe(Effect.mapError(failWith(backup, "set its mode")))
    return backup
  })

/**
 * Replaces a file atomically (the bus's one atomic write): writes a temporary file beside it (given mode, fsynced,
 * never through a link), renames it over the file, then fsyncs the directory; creates missing parent directories
 * (0700). A reader sees the old or the new file, never a part. Fails with ConfigFileError (the temporary file is
 * removed).
 */
export const writeAtomically = (target: string, content: string, mode: number) =>
  Effect.tryPromise({
    try: async () => {
      const dir = dirname(target)
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 })
      } catch (error) {
        throw new ConfigFileError({ path: dir, reason: `cannot create it (${describeFileError(error, dir)})` })
      }
      // Persisting the rename is best effort here: a directory that cannot be opened for fsync is no reason to fail.
      await replaceFileAtomically(dir, basename(target), content, { mode, directorySyncOptional: true })
    },
    catch: (error) => error instanceof ConfigFileError ? error : failWith(target, "write it")(error as Error)
  })
