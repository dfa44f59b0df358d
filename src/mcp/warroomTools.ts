import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { z } from "zod"
import type { WarroomServices } from "../layers/AppLive.js"
import * as Warroom from "../programs/warroom/index.js"
import type { ProgramRunner } from "./servicesOnDemand.js"
import { launchArgs, launchRequest, permissionArgs, permissionChoice } from "./warroomLaunchArgs.js"

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
const spawns = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false }
const destroys = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false }
const writes = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false }

const layoutArg = z.string().optional().describe(
  "tmux layout: tiled (default), even-horizontal, even-vertical, main-horizontal or main-vertical"
)
const runtimeArg = z.string().optional().describe(
  "runtime of agents given without a 'runtime/' prefix: claude (default), claude-opus, codex, gemini, grok, grok-fast"
)
const agentEntry =
  "an agent type from warroom_discover ('general' for a bare runtime), optionally prefixed by its runtime: 'codex/reviewer'"

/** Registers the nine warroom tools; relative and default directories are taken from `fallbackCwd`. */
export const registerWarroomTools = (
  server: McpServer,
  run: ProgramRunner<WarroomServices>,
  fallbackCwd: string
): void => {
  server.registerTool(
    "warroom_discover",
    {
      title: "Discover agent types",
      description:
        "List the agent types a warroom can spawn ('general' first: a bare runtime). Returns agents (qualified_name, name, namespace, summary, model, runtime, runtimes), total, namespaces, runtimes.",
      inputSchema: {
        query: z.string().optional().describe("case-insensitive text in the name or summary"),
        namespace: z.string().optional().describe("only this namespace (plugin, 'user', 'project', 'codex')"),
        limit: z.number().int().optional().describe("at most this many agents (default 20)"),
        runtime: z.string().optional().describe("only the agent types of this runtime")
      },
      annotations: readOnly
    },
    (args) =>
      run(
        Warroom.discover({
          query: args.query ?? "",
          namespace: args.namespace ?? "",
          limit: args.limit ?? 20,
          runtime: args.runtime ?? ""
        })
      )
  )

  server.registerTool(
    "warroom_spawn_repos",
    {
      title: "Spawn one agent per repository",
      description:
        "Open a tmux window with one general agent per git repository under $HELIOY_BASE (default ~/Dev), each in its repository; replaces a warroom of the same name. At most 8 repositories.",
      inputSchema: {
        window: z.string().optional().describe("warroom and window name (default 'warroom')"),
        layout: layoutArg,
        runtime: runtimeArg,
        ...launchArgs
      },
      annotations: spawns
    },
    (args) =>
      run(
        Warroom.spawnRepos({
          window: args.window ?? "warroom",
          layout: args.layout ?? "tiled",
          runtime: args.runtime ?? "",
          ...launchRequest(args)
        })
      )
  )

  server.registerTool("warroom_spawn", {
    title: "Spawn a warroom",
    description:
      "Open a tmux window in your session with one pane per agent (1-8), each running its runtime with its identity in HELIOY_AGENT_ID; replaces a warroom of the same name. Unknown agent types spawn nothing. Waits until each member has registered and shows its prompt. Returns warroom_id, members (agent_id, pane_id, tmux_target, warroom_member_id, state, ...), messaging, ready, pending (with why and the pane's last lines: e.g. a first-run dialog) and failed (exit status, last lines).",
    inputSchema: {
      name: z.string().describe("1-30 letters, digits and hyphens, starting with a letter or digit"),
      agents: z.array(z.string()).optional().describe(`the members in order: each ${agentEntry}`),
      preset: z.string().optional().describe("a saved preset whose agents come first (see warroom_presets)"),
      cwd: z.string().optional().describe("the members' directory; defaults to your own registered directory"),
      layout: layoutArg,
      runtime: runtimeArg,
      ...launchArgs
    },
    annotations: spawns
  }, (args) =>
    run(Warroom.spawnTeam({
      ...launchRequest(args),
      name: args.name,
      agents: args.agents ?? [],
      presets: args.preset === undefined || args.preset.trim() === "" ? [] : [args.preset],
      cwd: args.cwd ?? "",
      layout: args.layout ?? "tiled",
      runtime: args.runtime ?? "",
      fallbackCwd
    })))

  server.registerTool("warroom_status", {
    title: "Warroom status",
    description:
      "The named warroom, or every active one: per member its role, runtime, pane, pane_alive, registered, agent_instance_id and last_seen. Reaps members whose panes are gone.",
    inputSchema: { name: z.string().optional().describe("one warroom (any status); default: every active warroom") },
    annotations: readOnly
  }, (args) => run(Warroom.status(args.name ?? "")))

  server.registerTool(
    "warroom_add",
    {
      title: "Add a member",
      description:
        "Add one agent to an active warroom as a new pane in its window. Returns warroom_id, added, member_count.",
      inputSchema: {
        name: z.string().describe("the warroom"),
        agent: z.string().describe(agentEntry),
        cwd: z.string().optional().describe("the member's directory; defaults to the warroom's"),
        runtime: runtimeArg,
        ...launchArgs
      },
      annotations: spawns
    },
    (args) =>
      run(
        Warroom.addAgent({
          name: args.name,
          agent: args.agent,
          cwd: args.cwd ?? "",
          runtime: args.runtime ?? "",
          fallbackCwd,
          ...launchRequest(args)
        })
      )
  )

  server.registerTool("warroom_remove", {
    title: "Remove a member",
    description:
      "Close one member's pane and forget it, by member_id or by role (qualified, or the short name). The last member's removal closes the warroom.",
    inputSchema: {
      name: z.string().describe("the warroom"),
      agent: z.string().optional().describe("the member's role"),
      member_id: z.string().optional().describe("the warroom_member_id (wins over agent)")
    },
    annotations: destroys
  }, (args) => run(Warroom.removeAgent(args.name, args.agent ?? "", args.member_id ?? "")))

  server.registerTool("warroom_kill", {
    title: "Kill warrooms",
    description:
      "Close a warroom's window and forget it and its members' registrations, or every warroom with kill_all. Returns killed and errors.",
    inputSchema: {
      name: z.string().optional().describe("the warroom"),
      kill_all: z.boolean().optional().describe("kill every warroom")
    },
    annotations: destroys
  }, (args) => run(Warroom.killWarrooms(args.name ?? "", args.kill_all ?? false)))

  server.registerTool("warroom_presets", {
    title: "List presets",
    description:
      "The saved warroom presets (name, description, agents, tags), and any preset file that cannot be used (broken).",
    annotations: readOnly
  }, () => run(Warroom.listPresets))

  server.registerTool("warroom_save_preset", {
    title: "Save a preset",
    description:
      "Save a named team of agent types for warroom_spawn's preset; every agent must resolve. Replaces a preset of that name. Returns saved and path.",
    inputSchema: {
      name: z.string().describe("1-50 letters, digits and hyphens, starting with a letter or digit"),
      agents: z.array(z.string()).describe(`the members in order: each ${agentEntry}`),
      description: z.string().optional(),
      tags: z.array(z.string()).optional(),
      ...permissionArgs
    },
    annotations: writes
  }, (args) =>
    run(Warroom.savePreset({
      name: args.name,
      agents: args.agents,
      description: args.description ?? "",
      tags: args.tags ?? [],
      permissions: permissionChoice(args)
    })))
}
