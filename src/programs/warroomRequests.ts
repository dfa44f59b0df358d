/**
 * The warroom requests as the MCP tools and the CLI make them: agent names resolved through the catalogue, launch
 * commands from the runtime adapters, directories checked, the caller's tmux session found, then the core programs.
 */
import { isAbsolute, join, resolve } from "node:path"
import { FileSystem } from "@effect/platform"
import { Config, Effect, Option } from "effect"
import { generalRole } from "../domain/AgentType.js"
import { isValidLayout, isValidWarroomName, maxMembers } from "../domain/Warroom.js"
import { InvalidAgentCount, InvalidLayout, InvalidWarroomName, NoRepos } from "../domain/warroomErrors.js"
import { Presets } from "../services/Presets.js"
import { Warrooms } from "../services/Warrooms.js"
import { kill } from "./warroomKill.js"
import { remove } from "./warroomRemove.js"
import { findCaller } from "./warroomSession.js"
import { add, spawn } from "./warroomSpawn.js"
import { checkDirectory, resolveAgents, toMember } from "./warroomTeam.js"

/** A spawn as asked: agent entries (`agent` or `runtime/agent`) and presets whose agents come first. */
export interface SpawnRequest {
  readonly name: string
  readonly agents: ReadonlyArray<string>
  readonly presets: ReadonlyArray<string>
  /** "" for the caller's registered directory, else `fallbackCwd`; relative paths are taken from `fallbackCwd`. */
  readonly cwd: string
  readonly layout: string
  /** The runtime of entries without a `runtime/` prefix ("" for the default). */
  readonly runtime: string
  /** The directory of the process serving the request (absolute). */
  readonly fallbackCwd: string
}

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
export const spawnTeam = Effect.fn("warroom.spawnTeam")(function*(request: SpawnRequest) {
  const presets = yield* Presets
  const fromPresets = yield* Effect.forEach(request.presets, (name) => Effect.map(presets.get(name.trim()), (p) => p.agents))
  const agents = [...fromPresets.flat(), ...request.agents].map((entry) => entry.trim()).filter((entry) => entry !== "")
  yield* checkShape(request.name, agents.length, request.layout)
  const caller = yield* findCaller
  const cwd = request.cwd.trim() === ""
    ? Option.getOrElse(caller.cwd, () => request.fallbackCwd)
    : absolute(request.cwd.trim(), request.fallbackCwd)
  yield* checkDirectory(cwd, "Warroom directory")
  const resolved = yield* resolveAgents(agents, request.runtime)
  const members = yield* Effect.forEach(resolved, (agent) => toMember(agent, cwd))
  return yield* spawn({ name: request.name, members, cwd, layout: request.layout, session: caller.session })
})

/** Repo mode as asked: the window name, layout and runtime of one general member per repository. */
export interface RepoSpawnRequest {
  readonly window: string
  readonly layout: string
  readonly runtime: string
}

/** The immediate subdirectories of `base` holding `.git`, sorted by name. */
const gitRepos = (base: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const names = [...yield* Effect.orElseSucceed(fs.readDirectory(base), () => [])].sort()
    const repos = yield* Effect.filter(names, (name) => Effect.orElseSucceed(fs.exists(join(base, name, ".git")), () => false))
    return repos.filter((name) => !name.startsWith("."))
  })

/**
 * `warroom_spawn_repos`: one `general` member per git repository under `$HELIOY_BASE` (default `~/Dev`), each in its
 * repository; fails with MissingDirectory, NoRepos, or the spawn's errors (a warroom holds at most 8 members).
 */
export const spawnRepos = Effect.fn("warroom.spawnRepos")(function*(request: RepoSpawnRequest) {
  const home = yield* Effect.orElseSucceed(Config.string("HOME"), () => "")
  const base = resolve(yield* Effect.orElseSucceed(Config.string("HELIOY_BASE"), () => join(home, "Dev")))
  const name = request.window.trim() === "" ? "warroom" : request.window.trim()
  if (!isValidWarroomName(name)) return yield* new InvalidWarroomName({ name })
  if (!isValidLayout(request.layout)) return yield* new InvalidLayout({ layout: request.layout })
  const caller = yield* findCaller
  yield* checkDirectory(base, "HELIOY_BASE")
  const repos = yield* gitRepos(base)
  if (repos.length === 0) return yield* new NoRepos({ base })
  const [agent] = yield* resolveAgents([generalRole], request.runtime)
  const members = yield* Effect.forEach(repos, (repo) => toMember(agent!, join(base, repo), repo))
  return yield* spawn({ name, members, cwd: base, layout: request.layout, session: caller.session })
})

/** An addition as asked: one agent entry, its directory ("" for the warroom's) and runtime. */
export interface AddRequest {
  readonly name: string
  readonly agent: string
  readonly cwd: string
  readonly runtime: string
  readonly fallbackCwd: string
}

/** `warroom_add`: resolves the agent (UnknownAgentTypes), checks its directory, and adds its pane to the active warroom. */
export const addAgent = Effect.fn("warroom.addAgent")(function*(request: AddRequest) {
  const warrooms = yield* Warrooms
  const warroom = yield* warrooms.get(request.name)
  const base = Option.match(warroom, { onNone: () => request.fallbackCwd, onSome: (w) => w.cwd })
  const cwd = request.cwd.trim() === "" ? base : absolute(request.cwd.trim(), request.fallbackCwd)
  const [agent] = yield* resolveAgents([request.agent], request.runtime)
  yield* checkDirectory(cwd, "Member directory")
  return yield* add(request.name, yield* toMember(agent!, cwd))
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

/** A preset as asked to save. */
export interface SavePresetRequest {
  readonly name: string
  readonly agents: ReadonlyArray<string>
  readonly description: string
  readonly tags: ReadonlyArray<string>
}

/** `warroom_save_preset`: every agent must resolve (UnknownAgentTypes, nothing saved); writes and returns the path. */
export const savePreset = Effect.fn("warroom.savePreset")(function*(request: SavePresetRequest) {
  const presets = yield* Presets
  const agents = request.agents.map((entry) => entry.trim()).filter((entry) => entry !== "")
  if (agents.length > 0) yield* resolveAgents(agents, "")
  const path = yield* presets.save({ name: request.name, agents, description: request.description, tags: [...request.tags] })
  return { saved: request.name, path }
})
