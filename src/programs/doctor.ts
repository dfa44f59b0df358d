import { isAbsolute, join } from "node:path"
import { Reactivity } from "@effect/experimental"
import { Command, FileSystem } from "@effect/platform"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Either, Option, Stream } from "effect"
import { shellWords } from "../domain/ShellWords.js"
import { readCodexConfig } from "../install/CodexFiles.js"
import { busServerName } from "../install/McpServerEntry.js"
import { busHookOf, claudeHooks, codexEnvVars, codexHooks, type HookSpec } from "../install/HookWiring.js"
import { isJsonObject, type JsonObject } from "../install/Json.js"
import { checkSafe } from "../layers/BusDirLive.js"
import { migrations } from "../layers/migrations/index.js"
import { type ConfigLocations, readConfigFile } from "../install/configFiles.js"

/** How a check came out: fine, worth knowing, or broken. */
export type CheckStatus = "ok" | "warn" | "fail"

/** One line of the diagnosis: what was checked, how it came out, and what to do about it. */
export interface Check {
  readonly status: CheckStatus
  readonly subject: string
  readonly detail: string
}

/** What the doctor looks at. */
export interface DoctorInput {
  readonly busDir: string
  readonly tmuxBin: string
  readonly locations: ConfigLocations
}

const check = (status: CheckStatus, subject: string, detail: string): Check => ({ status, subject, detail })

const exists = (path: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.exists(path)).pipe(Effect.orElseSucceed(() => false))

/** The bus dir and its subdirectories, by the same rules the server refuses to start on. */
const busDirCheck = (busDir: string) =>
  Effect.gen(function*() {
    if (!(yield* exists(busDir))) {
      return check("warn", "bus dir", `${busDir} does not exist yet; the first helioy-bus serve creates it (mode 0700)`)
    }
    const subdirs = ["inbox", "pids", "presets"].map((name) => join(busDir, name))
    const present = yield* Effect.filter(subdirs, exists)
    const refused = yield* Effect.either(Effect.forEach([busDir, ...present], checkSafe, { discard: true }))
    return Either.match(refused, {
      onLeft: (error) => check("fail", "bus dir", `${error.path}: ${error.reason}`),
      onRight: () => check("ok", "bus dir", `${busDir}: a directory of yours, mode 0700 or stricter, not a symlink`)
    })
  })

/** The latest migration id this code knows. */
const codeMigration = Math.max(...Object.keys(migrations).map((key) => Number.parseInt(key, 10)))

/** `registry.db`: opens (reading only; the last connection to close tidies the WAL files as usual) and its schema is at this code's latest migration. */
const registryCheck = (busDir: string) =>
  Effect.gen(function*() {
    const path = join(busDir, "registry.db")
    if (!(yield* exists(path))) {
      return check("warn", "registry", `${path} does not exist yet; the first helioy-bus serve creates and migrates it`)
    }
    const read = Effect.gen(function*() {
      const sql = yield* SqliteClient.make({ filename: path, disableWAL: true })
      const tables = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      const names = new Set(tables.map((row) => row.name))
      const latest = names.has("effect_sql_migrations")
        ? Option.fromNullable((yield* sql<{ id: number | null }>`SELECT MAX(migration_id) AS id FROM effect_sql_migrations`)[0]?.id)
        : Option.none<number>()
      const agents = names.has("agents") ? (yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM agents`)[0]?.n ?? 0 : 0
      return { latest, agents }
    }).pipe(Effect.scoped, Effect.provide(Reactivity.layer))
    const result = yield* Effect.either(Effect.catchAllDefect(read, (defect) => Effect.fail(defect)))
    if (Either.isLeft(result)) {
      const cause = result.left as { readonly message?: string; readonly cause?: { readonly message?: string } }
      return check(
        "fail",
        "registry",
        `cannot read ${path} (${cause.cause?.message ?? cause.message ?? String(cause)}); ` +
          "if another process holds it, retry; if it is corrupt, move it aside and the bus recreates it"
      )
    }
    const { agents, latest } = result.right
    return Option.match(latest, {
      onNone: () =>
        check("warn", "registry", `${path} has no migrations applied yet (made by the Python helioy-bus?); the next helioy-bus serve migrates it`),
      onSome: (id) =>
        id < codeMigration
          ? check("warn", "registry", `${path} is at migration ${id} of ${codeMigration}; the next helioy-bus serve migrates it`)
          : id > codeMigration
          ? check("warn", "registry", `${path} is at migration ${id}, newer than this helioy-bus (${codeMigration}); upgrade helioy-bus`)
          : check("ok", "registry", `${path}: schema at migration ${id}, ${agents} agent(s) registered`)
    })
  })

/** tmux: found and its version (needed to wake idle agents, not to send mail). */
const tmuxCheck = (tmuxBin: string) =>
  Effect.gen(function*() {
    const run = Effect.scoped(Effect.gen(function*() {
      const tmux = yield* Command.start(Command.make(tmuxBin, "-V"))
      const [output, code] = yield* Effect.all([
        Stream.mkString(Stream.decodeText(tmux.stdout)),
        tmux.exitCode
      ], { concurrency: 2 })
      return { output: output.trim(), code: Number(code) }
    }))
    return Either.match(yield* Effect.either(run), {
      onLeft: () =>
        check("warn", "tmux", `${tmuxBin} not found (PATH or HELIOY_TMUX_BIN): mail still works, but idle agents cannot be nudged; install tmux`),
      onRight: ({ code, output }) =>
        code === 0
          ? check("ok", "tmux", `${output} (${tmuxBin})`)
          : check("warn", "tmux", `${tmuxBin} -V exited ${code}; idle agents cannot be nudged until tmux runs`)
    })
  })

/** A file path a configuration names that is absolute and missing (a plugin-relative or PATH name is not checked). */
const missingPath = (path: unknown) =>
  typeof path === "string" && isAbsolute(path) ? Effect.map(exists(path), (found) => found ? [] : [path]) : Effect.succeed([])

interface FoundHook {
  readonly spec: HookSpec
  readonly command: Option.Option<string>
}

/** For each hook the runtime should run, the command found for it in a `hooks` object. */
const findHooks = (hooks: unknown, specs: ReadonlyArray<HookSpec>): ReadonlyArray<FoundHook> =>
  specs.map((spec) => {
    const groups = isJsonObject(hooks) && Array.isArray(hooks[spec.event]) ? hooks[spec.event] as Array<unknown> : []
    const handlers = groups.flatMap((group) => isJsonObject(group) && Array.isArray(group.hooks) ? group.hooks : [])
    const handler = handlers.find((handler) =>
      isJsonObject(handler) && typeof handler.command === "string" && busHookOf(handler.command) === spec.hook &&
      (!spec.rewake || handler.asyncRewake === true)
    ) as JsonObject | undefined
    return { spec, command: Option.fromNullable(handler?.command as string | undefined) }
  })

/** Checks the hooks found: all present, and every helioy-bus.js they name exists. */
const hooksCheck = (subject: string, where: string, found: ReadonlyArray<FoundHook>, fix: string) =>
  Effect.gen(function*() {
    const missing = found.filter((hook) => Option.isNone(hook.command)).map(({ spec }) => `${spec.event} ${spec.hook}`)
    const bins = found.flatMap((hook) =>
      Option.match(hook.command, {
        onNone: () => [],
        onSome: (command) => {
          const words = shellWords(command)
          return [words[words.indexOf("hook") - 1]]
        }
      })
    )
    const absent = [...new Set((yield* Effect.forEach(bins, missingPath)).flat())]
    if (missing.length > 0) return check("fail", subject, `${where} lacks ${missing.join(", ")}; ${fix}`)
    if (absent.length > 0) return check("fail", subject, `${where} runs ${absent.join(", ")}, which does not exist; ${fix}`)
    return check("ok", subject, `${found.length} hook(s) in ${where}`)
  })

/** Checks an MCP server entry: it runs `<node> <bin>/helioy-bus.js serve`, and both exist. */
const serverCheck = (subject: string, where: string, server: JsonObject, fix: string) =>
  Effect.gen(function*() {
    const args = Array.isArray(server.args) ? server.args : []
    if (typeof server.command !== "string" || args.length < 2 || args[args.length - 1] !== "serve") {
      return check("fail", subject, `${busServerName} in ${where} does not run \`helioy-bus serve\`; ${fix}`)
    }
    const absent = [...(yield* missingPath(server.command)), ...(yield* missingPath(args[args.length - 2]))]
    if (absent.length > 0) return check("fail", subject, `${busServerName} in ${where} runs ${absent.join(", ")}, which does not exist; ${fix}`)
    return check("ok", subject, `${busServerName} in ${where}: ${[server.command, ...args].join(" ")}`)
  })

/** Reads a JSON configuration file: none when it is missing, a failed check when it cannot be read or parsed. */
const readJson = (path: string, subject: string) =>
  Effect.gen(function*() {
    const file = yield* Effect.either(readConfigFile(path))
    if (Either.isLeft(file)) return Either.left(check("fail", subject, file.left.message))
    if (Option.isNone(file.right.text) || file.right.text.value.trim() === "") return Either.right<JsonObject>({})
    try {
      const value = JSON.parse(file.right.text.value) as unknown
      return isJsonObject(value) ? Either.right(value) : Either.left(check("fail", subject, `${path} does not hold a JSON object`))
    } catch (error) {
      return Either.left(check("fail", subject, `${path} is not valid JSON (${(error as Error).message}); fix it`))
    }
  })

/** What the doctor found for one runtime: its lines, and whether any of the bus is wired into it. */
interface RuntimeReport {
  readonly wired: boolean
  readonly checks: ReadonlyArray<Check>
}

const claudeReport = (locations: ConfigLocations) =>
  Effect.gen(function*() {
    const fix = "run helioy-bus install claude"
    const config = yield* readJson(locations.claudeJson, "claude")
    const settings = yield* readJson(locations.claudeSettings, "claude")
    if (Either.isLeft(config) || Either.isLeft(settings)) {
      return { wired: true, checks: [config, settings].flatMap((read) => Either.isLeft(read) ? [read.left] : []) }
    }
    const servers = config.right.mcpServers
    const server = isJsonObject(servers) && isJsonObject(servers[busServerName]) ? servers[busServerName] as JsonObject : undefined
    const enabled = settings.right.enabledPlugins
    const plugins = isJsonObject(enabled) ? Object.keys(enabled).filter((id) => id.startsWith(`${busServerName}@`) && enabled[id] === true) : []
    const found = findHooks(settings.right.hooks, claudeHooks)
    const anyHook = found.some((hook) => Option.isSome(hook.command))
    if (server === undefined && plugins.length === 0 && !anyHook) {
      return {
        wired: false,
        checks: [check("warn", "claude", `Claude Code is not wired to the bus; ${fix} (or install the helioy-bus plugin)`)]
      } satisfies RuntimeReport
    }
    const checks: Array<Check> = []
    if (plugins.length > 0) {
      checks.push(check("ok", "claude plugin", `${plugins.join(", ")} enabled in ${locations.claudeSettings}`))
      if (server !== undefined || anyHook) {
        checks.push(check(
          "warn",
          "claude plugin",
          `the plugin and \`helioy-bus install claude\` are both set up, so every hook runs twice; ` +
            `uninstall the plugin, or remove ${busServerName} from ${locations.claudeJson} and its hooks from ${locations.claudeSettings}`
        ))
      }
      return { wired: true, checks } satisfies RuntimeReport
    }
    checks.push(
      server === undefined
        ? check("fail", "claude mcp server", `no ${busServerName} server in ${locations.claudeJson}; ${fix}`)
        : yield* serverCheck("claude mcp server", locations.claudeJson, server, fix)
    )
    checks.push(yield* hooksCheck("claude hooks", locations.claudeSettings, found, fix))
    return { wired: true, checks } satisfies RuntimeReport
  })

const codexReport = (locations: ConfigLocations) =>
  Effect.gen(function*() {
    const fix = "run helioy-bus install codex"
    const file = yield* Effect.either(readConfigFile(locations.codexConfig))
    if (Either.isLeft(file)) return { wired: true, checks: [check("fail", "codex", file.left.message)] } satisfies RuntimeReport
    const parsed = readCodexConfig(Option.getOrElse(file.right.text, () => ""))
    if (Either.isLeft(parsed)) {
      return { wired: true, checks: [check("fail", "codex", `${locations.codexConfig} is ${parsed.left}; fix it`)] } satisfies RuntimeReport
    }
    const hooksFile = yield* readJson(locations.codexHooks, "codex hooks")
    const config = parsed.right
    const servers = config.mcp_servers
    const server = isJsonObject(servers) && isJsonObject(servers[busServerName]) ? servers[busServerName] as JsonObject : undefined
    const found = findHooks(Either.isRight(hooksFile) ? hooksFile.right.hooks : undefined, codexHooks)
    const anyHook = found.some((hook) => Option.isSome(hook.command))
    if (server === undefined && !anyHook && Either.isRight(hooksFile)) {
      return { wired: false, checks: [check("warn", "codex", `Codex is not wired to the bus; ${fix}`)] } satisfies RuntimeReport
    }
    const checks: Array<Check> = []
    if (server === undefined) {
      checks.push(check("fail", "codex mcp server", `no [mcp_servers.${busServerName}] in ${locations.codexConfig}; ${fix}`))
    } else {
      const serverLine = yield* serverCheck("codex mcp server", locations.codexConfig, server, fix)
      const forwarded = Array.isArray(server.env_vars) ? server.env_vars : []
      const unforwarded = codexEnvVars.filter((name) => !forwarded.includes(name))
      checks.push(
        serverLine.status === "ok" && unforwarded.length > 0
          ? check("fail", "codex mcp server", `env_vars of ${busServerName} lacks ${unforwarded.join(", ")}, so the bus cannot tell which agent it serves; ${fix}`)
          : serverLine
      )
    }
    const features = isJsonObject(config.features) ? config.features : {}
    checks.push(
      features.hooks === false || (features.hooks === undefined && features.codex_hooks === false)
        ? check("fail", "codex hooks feature", `hooks are turned off in [features] of ${locations.codexConfig}; set hooks = true; ${fix}`)
        : features.codex_hooks !== undefined
        ? check("warn", "codex hooks feature", `[features] codex_hooks is deprecated (Codex prints a warning at every start); use hooks = true instead; ${fix}`)
        : features.hooks === true
        ? check("ok", "codex hooks feature", `on in ${locations.codexConfig}`)
        : check("warn", "codex hooks feature", `[features] hooks is not set; set hooks = true so Codex runs the bus's hooks; ${fix}`)
    )
    checks.push(
      Either.isLeft(hooksFile) ? hooksFile.left : yield* hooksCheck("codex hooks", locations.codexHooks, found, fix)
    )
    return { wired: true, checks } satisfies RuntimeReport
  })

/**
 * Diagnoses a setup without changing anything: the bus dir, the registry, tmux, and the Claude Code and Codex
 * configuration, one line each. Never fails: whatever goes wrong is a `fail` line saying what to do.
 */
export const diagnose = (input: DoctorInput) =>
  Effect.gen(function*() {
    const claude = yield* claudeReport(input.locations)
    const codex = yield* codexReport(input.locations)
    const runtimes = claude.wired || codex.wired
      ? []
      : [check("fail", "runtimes", "no agent runtime is wired to the bus; run helioy-bus install claude or helioy-bus install codex")]
    return [
      yield* busDirCheck(input.busDir),
      yield* registryCheck(input.busDir),
      yield* tmuxCheck(input.tmuxBin),
      ...claude.checks,
      ...codex.checks,
      ...runtimes
    ] satisfies ReadonlyArray<Check>
  })
