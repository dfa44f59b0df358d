/**
 * The warroom requests as the MCP tools and the CLI make them: agent names resolved through the catalogue, launch
 * commands from the runtime adapters, directories checked, the caller's tmux session found, then the core programs.
 */
import { FileSystem } from "@effect/platform"
import { Duration, Effect, Option, Schema } from "effect"
import { isAbsolute, join, resolve } from "node:path"
import { generalRole } from "../../domain/AgentType.js"
import { isValidLayout, isValidWarroomName, maxMembers } from "../../domain/Warroom.js"
import { InvalidInput } from "../../errors/bus.js"
import { InvalidAgentCount, InvalidLayout, InvalidWarroomName, NoRepos } from "../../errors/warroom.js"
import { BusConfig } from "../../services/BusConfig.js"
import { Presets } from "../../services/Presets.js"
import { Warrooms } from "../../services/Warrooms.js"
import { decodeInput, Text } from "../toolInput.js"
import { kill } from "./kill.js"
import type { ReadinessWait } from "./ready.js"
import { remove } from "./remove.js"
import { findCaller } from "./session.js"
import { add, spawn } from "./spawn.js"
import { checkDirectory, memberPermissions, resolveAgents, toMember } from "./team.js"

/** Agent entries or names as given: each trimmed, blank ones dropped. */
const Entries = Schema.transform(Schema.Array(Schema.Trim), Schema.Array(Schema.String), {
  strict: true,
  decode: (entries) => entries.filter((entry) => entry !== ""),
  encode: (entries) => entries
})

/** A permission choice as given: each part trimmed, a blank part not given. */
const Permissions = Schema.Struct({
  claudeMode: Schema.optional(Schema.Trim),
  codexSandbox: Schema.optional(Schema.Trim),
  codexApproval: Schema.optional(Schema.Trim)
})

/**
 * How long a spawn waits for its members (seconds; undefined: HELIOY_WARROOM_READY_SECONDS, default 60), and whether
 * dead panes stay open.
 */
const Readiness = Schema.Struct({ waitSeconds: Schema.optional(Schema.Number), keepFailed: Schema.Boolean })

/** How long a spawn waits for its members, and whether dead panes stay open. */
export type ReadinessRequest = typeof Readiness.Encoded

const SpawnArgs = Schema.Struct({
  name: Schema.String,
  agents: Entries,
  presets: Entries,
  /** "" for the caller's registered directory, else `fallbackCwd`; relative paths are taken from `fallbackCwd`. */
  cwd: Text,
  layout: Schema.String,
  /** The runtime of entries without a `runtime/` prefix ("" for the default). */
  runtime: Schema.String,
  /** The directory of the process serving the request (absolute). */
  fallbackCwd: Schema.String,
  /** The members' permissions, as asked (unset parts: the presets', the configuration's, the runtime's default). */
  permissions: Permissions,
  readiness: Readiness
})

/** A spawn as asked: agent entries (`agent` or `runtime/agent`) and presets whose agents come first. */
export type SpawnRequest = typeof SpawnArgs.Encoded

const decodeSpawn = decodeInput(SpawnArgs)

/** The wait of a request, from the request or the configuration; fails with InvalidInput for a negative wait. */
const readinessOf = (request: ReadinessRequest) =>
  Effect.gen(function*() {
    const configured = Duration.toSeconds((yield* BusConfig).warroomReadyWait)
    const seconds = request.waitSeconds ?? configured
    if (!Number.isFinite(seconds) || seconds < 0) {
      return yield* new InvalidInput({ field: "wait_seconds", reason: "a number of seconds, 0 or more" })
    }
    return { wait: Duration.seconds(seconds), keepFailed: request.keepFailed } satisfies ReadinessWait
  })

/** The name, member count and layout rules, checked before anything else (in the reference's order). */
const checkShape = (name: string, count: number, layout: string) =>
  Effect.gen(function*() {
    if (!isValidWarroomName(name)) return yield* new InvalidWarroomName({ name })
    if (count === 0 || count > maxMembers) return yield* new InvalidAgentCount({ count })
    if (!isValidLayout(layout)) return yield* new InvalidLayout({ layout })
  })

const absolute = (path: string, base: string) => isAbsolute(path) ? resolve(path) : resolve(base, path)

/**
 * `warroom_spawn`: presets' agents then `agents`; checks name, count, layout, the tmux session, the directory and
 * every agent (UnknownAgentTypes: nothing created) before replacing any warroom of that name with the new one.
 */
export const spawnTeam = Effect.fn("warroom.spawnTeam")(function*(given: SpawnRequest) {
  const request = yield* decodeSpawn(given)
  const presets = yield* Presets
  const chosen = yield* Effect.forEach(request.presets, (name) => presets.get(name))
  const agents = [...chosen.flatMap((preset) => preset.agents.map((entry) => entry.trim())), ...request.agents].filter((
    entry
  ) => entry !== "")
  yield* checkShape(request.name, agents.length, request.layout)
  const caller = yield* findCaller
  const cwd = request.cwd === ""
    ? Option.getOrElse(caller.cwd, () => request.fallbackCwd)
    : absolute(request.cwd, request.fallbackCwd)
  yield* checkDirectory(cwd, "Warroom directory")
  const permissions = yield* memberPermissions([
    request.permissions,
    ...chosen.map((preset) => ({
      claudeMode: preset.permission_mode,
      codexSandbox: preset.codex_sandbox,
      codexApproval: preset.codex_approval
    }))
  ])
  const readiness = yield* readinessOf(request.readiness)
  const resolved = yield* resolveAgents(agents, request.runtime)
  const members = yield* Effect.forEach(resolved, (agent) => toMember(agent, cwd, permissions))
  return yield* spawn({ name: request.name, members, cwd, layout: request.layout, session: caller.session, readiness })
})

const RepoSpawnArgs = Schema.Struct({
  window: Text,
  layout: Schema.String,
  runtime: Schema.String,
  permissions: Permissions,
  readiness: Readiness
})

/** Repo mode as asked: the window name ("" for `warroom`), layout and runtime of one general member per repository. */
export type RepoSpawnRequest = typeof RepoSpawnArgs.Encoded

const decodeRepoSpawn = decodeInput(RepoSpawnArgs)

/** The immediate subdirectories of `base` holding `.git`, sorted by name. */
const gitRepos = (base: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const names = [...yield* Effect.orElseSucceed(fs.readDirectory(base), () => [])].sort()
    const repos = yield* Effect.filter(names, (name) =>
      Effect.orElseSucceed(fs.exists(join(base, name, ".git")), () => false))
    return repos.filter((name) =>
      !name.startsWith(".")
    )
  })

/**
 * `warroom_spawn_repos`: one `general` member per git repository under `$HELIOY_BASE` (default `~/Dev`), each in its
 * repository; fails with MissingDirectory, NoRepos, or the spawn's errors (a warroom holds at most 8 members).
 */
export const spawnRepos = Effect.fn("warroom.spawnRepos")(function*(given: RepoSpawnRequest) {
  const request = yield* decodeRepoSpawn(given)
  const base = resolve((yield* BusConfig).reposBase)
  const name = request.window === "" ? "warroom" : request.window
  if (!isValidWarroomName(name)) return yield* new InvalidWarroomName({ name })
  if (!isValidLayout(request.layout)) return yield* new InvalidLayout({ layout: request.layout })
  const caller = yield* findCaller
  yield* checkDirectory(base, "HELIOY_BASE")
  const repos = yield* gitRepos(base)
  if (repos.length === 0) return yield* new NoRepos({ base })
  const permissions = yield* memberPermissions([request.permissions])
  const readiness = yield* readinessOf(request.readiness)
  const [agent] = yield* resolveAgents([generalRole], request.runtime)
  const members = yield* Effect.forEach(repos, (repo) => toMember(agent!, join(base, repo), permissions, repo))
  return yield* spawn({ name, members, cwd: base, layout: request.layout, session: caller.session, readiness })
})

const AddArgs = Schema.Struct({
  name: Schema.String,
  agent: Text,
  cwd: Text,
  runtime: Schema.String,
  fallbackCwd: Schema.String,
  permissions: Permissions,
  readiness: Readiness
})

/** An addition as asked: one agent entry, its directory ("" for the warroom's) and runtime. */
export type AddRequest = typeof AddArgs.Encoded

const decodeAdd = decodeInput(AddArgs)

/**
 * `warroom_add`: resolves the agent (UnknownAgentTypes), checks its directory, and adds its pane to the active warroom.
 */
export const addAgent = Effect.fn("warroom.addAgent")(function*(given: AddRequest) {
  const request = yield* decodeAdd(given)
  const warrooms = yield* Warrooms
  const warroom = yield* warrooms.get(request.name)
  const base = Option.match(warroom, { onNone: () => request.fallbackCwd, onSome: (w) => w.cwd })
  const cwd = request.cwd === "" ? base : absolute(request.cwd, request.fallbackCwd)
  const permissions = yield* memberPermissions([request.permissions])
  const readiness = yield* readinessOf(request.readiness)
  const [agent] = yield* resolveAgents([request.agent], request.runtime)
  yield* checkDirectory(cwd, "Member directory")
  return yield* add(request.name, yield* toMember(agent!, cwd, permissions), readiness)
})

/** `warroom_remove`: by member id when given, else by role. */
export const removeAgent = (name: string, agent: string, memberId: string) =>
  remove(name, memberId.trim() !== "" ? { memberId: memberId.trim() } : { role: agent.trim() })

/** `warroom_kill`: every warroom with `all`, else the named one. */
export const killWarrooms = (name: string, all: boolean) => kill(all ? { all: true } : { name })

/** `warroom_presets`: every usable preset, and the files that are not (`broken`, with the reason). */
export const listPresets = Effect.gen(function*() {
  const { broken, presets } = yield* (yield* Presets).list
  return { presets, ...(broken.length === 0 ? {} : { broken }) }
})

const SavePresetArgs = Schema.Struct({
  name: Schema.String,
  agents: Entries,
  description: Schema.String,
  tags: Schema.Array(Schema.String),
  /** The members' permissions the preset carries (unset or blank parts: none). */
  permissions: Schema.optionalWith(Permissions, { default: () => ({}) })
})

/** A preset as asked to save. */
export type SavePresetRequest = typeof SavePresetArgs.Encoded

const decodeSavePreset = decodeInput(SavePresetArgs)

/** `warroom_save_preset`: every agent must resolve (UnknownAgentTypes, nothing saved); writes and returns the path. */
export const savePreset = Effect.fn("warroom.savePreset")(function*(given: SavePresetRequest) {
  const request = yield* decodeSavePreset(given)
  const presets = yield* Presets
  const agents = request.agents
  if (agents.length > 0) yield* resolveAgents(agents, "")
  const part = (value: string | undefined) => value || undefined
  const permissionMode = part(request.permissions.claudeMode)
  const codexSandbox = part(request.permissions.codexSandbox)
  const codexApproval = part(request.permissions.codexApproval)
  const path = yield* presets.save({
    name: request.name,
    agents,
    description: request.description,
    tags: [...request.tags],
    ...(permissionMode === undefined ? {} : { permission_mode: permissionMode }),
    ...(codexSandbox === undefined ? {} : { codex_sandbox: codexSandbox }),
    ...(codexApproval === undefined ? {} : { codex_approval: codexApproval })
  })
  return { saved: request.name, path }
})
