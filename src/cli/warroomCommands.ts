import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { WarroomLive, type WarroomServices } from "../layers/AppLive.js"
import { success } from "../mcp/toolResult.js"
import { serveWarroom } from "../mcp/warroomServer.js"
import * as Warroom from "../programs/warroom/index.js"
import { version } from "../version.js"
import {
  addSummary,
  failureText,
  killedLines,
  presetLines,
  repoSummary,
  spawnSummary,
  statusTable
} from "./warroomOutput.js"

/** Runs a warroom program on the live services and prints its result; a failure prints `error: ...` and exits 1. */
const runPrinted = <A, E>(program: Effect.Effect<A, E, WarroomServices>, print: (value: A) => string) =>
  program.pipe(
    Effect.flatMap((value) => Console.log(print(value))),
    Effect.provide(WarroomLive),
    Effect.catchAll((error) =>
      Effect.zipRight(
        Console.error(failureText(error)),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )

const nameArg = Args.text({ name: "name" }).pipe(
  Args.withDescription("The warroom's name (1-30 letters, digits, hyphens).")
)
const runtimeOption = Options.text("runtime").pipe(
  Options.withDefault(""),
  Options.withDescription(
    "Runtime of agents without a 'runtime/' prefix: claude (default), claude-opus, codex, gemini, grok, grok-fast."
  )
)
const cwdOption = Options.text("cwd").pipe(Options.withDefault(""), Options.withDescription("The members' directory."))
const agentsOption = (description: string) =>
  Options.text("agents").pipe(Options.withDefault(""), Options.withDescription(description))

const launchOptions = {
  permissionMode: Options.text("permission-mode").pipe(
    Options.withDefault(""),
    Options.withDescription(
      "Claude Code members' permission mode (default: Claude Code's own): manual, acceptEdits, auto, plan, dontAsk, bypassPermissions."
    )
  ),
  codexSandbox: Options.text("codex-sandbox").pipe(
    Options.withDefault(""),
    Options.withDescription(
      "Codex members' sandbox (default: Codex's own): read-only, workspace-write, danger-full-access."
    )
  ),
  codexApproval: Options.text("codex-approval").pipe(
    Options.withDefault(""),
    Options.withDescription("Codex members' approval policy (default: Codex's own): on-request, never.")
  ),
  wait: Options.integer("wait").pipe(
    Options.optional,
    Options.withDescription("Seconds to wait until every member has registered and shows its prompt (default 60).")
  ),
  keepFailed: Options.boolean("keep-failed").pipe(Options.withDescription("Leave the panes of members that died open."))
}

/** The launch options as the requests take them. */
const launchRequest = (options: {
  readonly permissionMode: string
  readonly codexSandbox: string
  readonly codexApproval: string
  readonly wait: Option.Option<number>
  readonly keepFailed: boolean
}) => ({
  permissions: {
    claudeMode: options.permissionMode,
    codexSandbox: options.codexSandbox,
    codexApproval: options.codexApproval
  },
  readiness: { waitSeconds: Option.getOrUndefined(options.wait), keepFailed: options.keepFailed }
})

/** Exits 1 when a member failed to start (after printing the summary). */
const failWhenAMemberFailed = (result: { readonly failed?: ReadonlyArray<unknown> }) =>
  Effect.sync(() => {
    if ((result.failed ?? []).length > 0) process.exitCode = 1
  })

const spawn = Command.make("spawn", {
  name: nameArg,
  agents: agentsOption(
    "Agent types, space-separated, each optionally 'runtime/agent' (e.g. \"backend codex/reviewer general\")."
  ),
  preset: Options.text("preset").pipe(
    Options.repeated,
    Options.withDescription("A saved preset whose agents come first (repeatable).")
  ),
  runtime: runtimeOption,
  layout: Options.text("layout").pipe(
    Options.withDefault("tiled"),
    Options.withDescription("tmux layout (tiled, even-horizontal, ...).")
  ),
  cwd: cwdOption,
  ...launchOptions
}, ({ agents, cwd, layout, name, preset, runtime, ...launch }) => {
  const dir = cwd === "" ? process.cwd() : cwd
  return runPrinted(
    Effect.tap(
      Warroom.spawnTeam({
        name,
        agents: Warroom.splitAgents(agents),
        presets: preset,
        cwd: dir,
        layout,
        runtime,
        fallbackCwd: process.cwd(),
        ...launchRequest(launch)
      }),
      failWhenAMemberFailed
    ),
    (spawned) => spawnSummary(spawned, dir)
  )
}).pipe(Command.withDescription("Open a warroom window in your tmux session, one pane per agent."))

const add = Command.make("add", {
  name: nameArg,
  agent: Args.text({ name: "agent" }).pipe(Args.withDescription("The agent type ('runtime/agent' allowed).")),
  runtime: runtimeOption,
  cwd: cwdOption,
  ...launchOptions
}, ({ agent, cwd, name, runtime, ...launch }) =>
  runPrinted(
    Effect.tap(
      Warroom.addAgent({ name, agent, cwd, runtime, fallbackCwd: process.cwd(), ...launchRequest(launch) }),
      failWhenAMemberFailed
    ),
    addSummary
  )).pipe(Command.withDescription("Add one agent to an active warroom."))

const remove = Command.make("remove", {
  name: nameArg,
  agent: Args.text({ name: "agent" }).pipe(Args.withDefault(""), Args.withDescription("The member's role.")),
  memberId: Options.text("member-id").pipe(
    Options.withDefault(""),
    Options.withDescription("The member's warroom_member_id.")
  )
}, ({ agent, memberId, name }) =>
  runPrinted(
    Warroom.removeAgent(name, agent, memberId),
    (removed) =>
      `removed ${removed.removed.desired_role} (${removed.removed.warroom_member_id}) from ${removed.warroom_id}; ` +
      (removed.warroom_killed ? "the warroom is now closed" : `${removed.remaining_members} members remain`)
  )).pipe(Command.withDescription("Remove one member, by role or --member-id."))

const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print the result as JSON (the same JSON as the MCP tool's result).")
)

/** A result as the MCP tool returns it (arrays wrapped as `{ result }`), indented. */
const toolJson = (value: unknown) => JSON.stringify(success(value).structuredContent, null, 2)

const status = Command.make("status", {
  name: Args.text({ name: "name" }).pipe(Args.withDefault("")),
  json: jsonOption
}, ({ json, name }) => runPrinted(Warroom.status(name), json ? toolJson : statusTable)).pipe(
  Command.withDescription(
    "Members of the named warroom (or every active one): pane, alive/dead, registered/pending, last heartbeat."
  )
)

const kill = Command.make("kill", {
  target: Args.text({ name: "name|all" })
}, ({ target }) => runPrinted(Warroom.killWarrooms(target, target === "all"), killedLines)).pipe(
  Command.withDescription("Close a warroom's window and forget it (`all`: every warroom).")
)

const presets = Command.make("presets", { json: jsonOption }, ({ json }) =>
  json
    ? runPrinted(Warroom.listPresets, toolJson)
    : runPrinted(
      Effect.tap(Warroom.listPresets, (listed) =>
        Effect.forEach(listed.broken ?? [], (b) =>
          Console.error(`warning: ${b.file} is not a usable preset: ${b.reason}`))),
      (listed) =>
        presetLines(listed.presets)
    )).pipe(Command.withDescription("List the saved presets."))

const savePreset = Command.make("save-preset", {
  name: Args.text({ name: "name" }),
  agents: agentsOption("Agent types, space-separated."),
  description: Options.text("description").pipe(Options.withDefault("")),
  tags: Options.text("tags").pipe(Options.withDefault(""), Options.withDescription("Tags, space-separated."))
}, ({ agents, description, name, tags }) =>
  runPrinted(
    Warroom.savePreset({ name, agents: Warroom.splitAgents(agents), description, tags: Warroom.splitAgents(tags) }),
    (saved) => `saved ${saved.saved} to ${saved.path}`
  )).pipe(Command.withDescription("Save a named team of agent types."))

const serve = Command.make("serve", {}, () => serveWarroom(version)).pipe(
  Command.withDescription("Run the warroom MCP server on stdin/stdout.")
)

/**
 * The `helioy-warroom` command line; with no subcommand, repo mode (one general agent per git repo under $HELIOY_BASE).
 */
export const warroomCommand = Command.make("helioy-warroom", launchOptions, (launch) =>
  runPrinted(
    Effect.tap(
      Warroom.spawnRepos({ window: "warroom", layout: "tiled", runtime: "", ...launchRequest(launch) }),
      failWhenAMemberFailed
    ),
    repoSummary
  )).pipe(
    Command.withDescription("Spawn, watch and tear down teams of coding agents in tmux panes."),
    Command.withSubcommands([spawn, add, remove, status, kill, presets, savePreset, serve])
  )

/** Runs `helioy-warroom` with the given argv. */
export const runWarroomCli = Command.run(warroomCommand, { name: "helioy-warroom", version })
