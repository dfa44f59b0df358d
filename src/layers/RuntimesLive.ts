import { Config, Effect, Layer, Option } from "effect"
import { join } from "node:path"
import {
  claudePermissionFlags,
  codexPermissionFlags,
  defaultPermissions,
  type PermissionChoice
} from "../domain/Permissions.js"
import type { LaunchOptions, RuntimeAdapter, ScreenModel } from "../domain/RuntimeAdapter.js"
import { Runtimes, type RuntimesShape } from "../services/Runtimes.js"
import { gemini } from "./GeminiAdapter.js"

const codexSuffix =
  "\n\n---\nYou are authorized to act on this message immediately. If you have any questions reply to sender."

/** Model and effort settings of the runtimes (empty: the runtime's own default). */
export interface RuntimeSettings {
  readonly claudeModel: string
  readonly claudeEffort: string
  readonly codexModel: string
  readonly codexEffort: string
  readonly geminiModel: string
  /** The command that runs this package's CLI (for the Codex launch wrapper). */
  readonly busCommand: ReadonlyArray<string>
  /**
   * The members' permissions when a spawn names none (HELIOY_CLAUDE_PERMISSION_MODE, HELIOY_CODEX_SANDBOX,
   * HELIOY_CODEX_APPROVAL).
   */
  readonly permissionDefaults: PermissionChoice
}

/** A numbered menu with its selection marker (`❯ 1. Yes`, `› 2. Trust all`): a dialog, never typed into. */
const numberedMenu = /^\s*[❯›>] \d+\. /m

/** Claude Code's TUI (2.1): `❯` input line between rules; `esc to interrupt` or an API retry while a turn runs. */
const claudeScreen: ScreenModel = {
  prompt: "❯",
  busy: [/esc to interrupt/, /retrying in \d+s/],
  dialog: [numberedMenu, /Enter to confirm/i, /Esc to cancel/i, /Do you trust/i],
  starting: [],
  ready: [/^❯/m]
}

/** Codex's TUI (0.17x): `›` composer; `esc to interrupt` while a turn runs; hook review and quit menus. */
const codexScreen: ScreenModel = {
  prompt: "›",
  busy: [/esc to interrupt/],
  dialog: [numberedMenu, /enter confirm/i, /Hooks need review/i, /Task is still running/i],
  starting: [/Waiting for startup/],
  ready: [/\? for shortcuts/]
}

/** A TUI this bus knows nothing of: a `>` prompt, no busy marker (a turn start cannot be confirmed). */
const plainScreen: ScreenModel = { prompt: ">", busy: [], dialog: [numberedMenu], starting: [], ready: [] }

const flag = (name: string, value: string): ReadonlyArray<string> => value === "" ? [] : [name, value]

/** The Claude Code adapter: hooks register it; its rewake hook wakes it, a tmux nudge is the fallback. */
export const claude = (settings: RuntimeSettings, id = "claude", model = settings.claudeModel): RuntimeAdapter => ({
  id,
  pidEnvs: ["HELIOY_BUS_CLAUDE_PID", "CLAUDE_PID"],
  registration: "hook",
  hookEnvironment: "session",
  wake: { tmuxNudge: true, rewakeHook: true, wrapper: "none" },
  stopHook: true,
  screen: claudeScreen,
  messageSuffix: "",
  launch: (options: LaunchOptions) => ({
    command: "claude",
    program: "claude",
    args: [
      ...claudePermissionFlags((options.permissions ?? defaultPermissions).claudeMode),
      ...flag("--model", model),
      ...flag("--effort", settings.claudeEffort),
      ...flag("--agent", options.agentType ?? "")
    ],
    env: { HELIOY_RUNTIME: id, ...(options.agentType ? { HELIOY_BUS_AGENT_TYPE: options.agentType } : {}) }
  }),
  agentTypeDirs: (home, projectDir) => [
    join(home, ".claude", "plugins", "cache"),
    join(home, ".claude", "agents"),
    join(projectDir, ".claude", "agents")
  ]
})

/**
 * The Codex adapter: the launch wrapper registers it and wakes it through the Codex daemon; a tmux nudge (Enter after a
 * pause) is the fallback.
 */
export const codex = (settings: RuntimeSettings): RuntimeAdapter => ({
  id: "codex",
  pidEnvs: ["HELIOY_BUS_CODEX_PID"],
  registration: "wrapper",
  hookEnvironment: "shared",
  wake: { tmuxNudge: true, rewakeHook: false, wrapper: "daemon" },
  stopHook: true,
  screen: codexScreen,
  messageSuffix: codexSuffix,
  launch: (options: LaunchOptions) => {
    const [command, ...prefix] = settings.busCommand
    const permissions = options.permissions ?? defaultPermissions
    return {
      command: command ?? "helioy-bus",
      program: "codex",
      args: [
        ...prefix,
        "run",
        "codex",
        "--",
        "codex",
        ...codexPermissionFlags(permissions.codexSandbox, permissions.codexApproval),
        ...flag("--model", settings.codexModel),
        ...flag("--config", settings.codexEffort === "" ? "" : `model_reasoning_effort=${settings.codexEffort}`),
        ...flag("--config", options.instructionsFile ? `model_instructions_file=${options.instructionsFile}` : "")
      ],
      env: { HELIOY_RUNTIME: "codex", ...(options.agentType ? { HELIOY_BUS_AGENT_TYPE: options.agentType } : {}) }
    }
  },
  agentTypeDirs: (home) => [join(home, ".codex", "developer_instructions"), join(home, ".codex", "skills")]
})

/** The Grok CLI adapter (`grok`, `grok-fast`): registered by the launch wrapper, woken by a tmux nudge. */
export const grok = (settings: RuntimeSettings, id: string, model: string): RuntimeAdapter => ({
  id,
  pidEnvs: ["HELIOY_BUS_GROK_PID"],
  registration: "wrapper",
  hookEnvironment: "session",
  wake: { tmuxNudge: true, rewakeHook: false, wrapper: "pane" },
  stopHook: false,
  screen: plainScreen,
  messageSuffix: "",
  launch: (options: LaunchOptions) => {
    const [command, ...prefix] = settings.busCommand
    return {
      command: command ?? "helioy-bus",
      program: "grok",
      args: [
        ...prefix,
        "run",
        id,
        "--",
        "grok",
        "--always-approve",
        "-m",
        model,
        ...flag("--agent", options.agentType ?? "")
      ],
      env: { HELIOY_RUNTIME: id, ...(options.agentType ? { HELIOY_BUS_AGENT_TYPE: options.agentType } : {}) }
    }
  },
  agentTypeDirs: (home) => [join(home, ".claude", "plugins", "cache")]
})

/** Any other MCP client: it registers itself through register_agent and is never typed into. */
export const generic: RuntimeAdapter = {
  id: "generic",
  pidEnvs: [],
  registration: "manual",
  hookEnvironment: "session",
  wake: { tmuxNudge: false, rewakeHook: false, wrapper: "none" },
  stopHook: false,
  screen: plainScreen,
  messageSuffix: "",
  launch: () => ({ command: "", args: [], env: {}, program: "" }),
  agentTypeDirs: () => []
}

/** Every adapter for the given settings, default (claude) first. */
export const adapters = (settings: RuntimeSettings): ReadonlyArray<RuntimeAdapter> => [
  claude(settings),
  claude(settings, "claude-opus", settings.claudeModel === "" ? "opus" : settings.claudeModel),
  codex(settings),
  gemini(settings.geminiModel),
  grok(settings, "grok", "grok-build"),
  grok(settings, "grok-fast", "grok-composer-2.5-fast"),
  generic
]

/** The runtimes for fixed settings. */
export const fromSettings = (settings: RuntimeSettings): RuntimesShape => {
  const all = adapters(settings)
  return {
    all,
    defaultRuntime: all[0]!,
    get: (id) => Option.fromNullable(all.find((adapter) => adapter.id === id)),
    permissionDefaults: settings.permissionDefaults
  }
}

const setting = (name: string) => Config.string(name).pipe(Config.withDefault(""))

/**
 * Reads model and effort from HELIOY_CLAUDE_MODEL, HELIOY_CLAUDE_EFFORT, HELIOY_CODEX_MODEL, HELIOY_CODEX_EFFORT,
 * HELIOY_GEMINI_MODEL, the members' default permissions from HELIOY_CLAUDE_PERMISSION_MODE, HELIOY_CODEX_SANDBOX,
 * HELIOY_CODEX_APPROVAL, and the bus CLI script from HELIOY_BUS_BIN (default: this process's script); fails on a malformed variable.
 */
export const make = Effect.gen(function*() {
  return fromSettings({
    claudeModel: yield* setting("HELIOY_CLAUDE_MODEL"),
    claudeEffort: yield* setting("HELIOY_CLAUDE_EFFORT"),
    codexModel: yield* setting("HELIOY_CODEX_MODEL"),
    codexEffort: yield* setting("HELIOY_CODEX_EFFORT"),
    geminiModel: yield* setting("HELIOY_GEMINI_MODEL"),
    busCommand: [process.execPath, (yield* setting("HELIOY_BUS_BIN")) || (process.argv[1] ?? "helioy-bus")],
    permissionDefaults: {
      claudeMode: yield* setting("HELIOY_CLAUDE_PERMISSION_MODE"),
      codexSandbox: yield* setting("HELIOY_CODEX_SANDBOX"),
      codexApproval: yield* setting("HELIOY_CODEX_APPROVAL")
    }
  })
})

/** The runtimes, configured from the environment. */
export const layer = Layer.effect(Runtimes, make)

/** Every setting at its default, the CLI as `helioy-bus` on PATH. */
export const testSettings: RuntimeSettings = {
  claudeModel: "",
  claudeEffort: "",
  codexModel: "",
  codexEffort: "",
  geminiModel: "",
  busCommand: ["helioy-bus"],
  permissionDefaults: {}
}

/** The runtimes with every setting at its default, for tests. */
export const layerTest = Layer.succeed(Runtimes, fromSettings(testSettings))
