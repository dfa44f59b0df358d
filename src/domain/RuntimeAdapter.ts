/** A command line to start a runtime: the executable, its arguments, and variables to set. */
export interface LaunchSpec {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}

/** What to launch: a bare runtime, or one playing a specialist agent type. */
export interface LaunchOptions {
  readonly agentType?: string | undefined
  readonly instructionsFile?: string | undefined
}

/** How an agent runtime is started, identified, woken and registered. */
export interface RuntimeAdapter {
  /** The runtime id recorded in the registry (`claude`, `codex`, ...). */
  readonly id: string
  /** The variable that carries the runtime's own pid to its children, when it has one. */
  readonly pidEnv: string | undefined
  /** How it joins the bus: its own hooks, the `helioy-bus run` wrapper, or by calling register_agent itself. */
  readonly registration: "hook" | "wrapper" | "manual"
  /** Whether an idle session can be woken by typing into its tmux pane, and by an async hook. */
  readonly wake: { readonly tmuxNudge: boolean; readonly rewakeHook: boolean }
  /** Text appended to every message for it (Codex asks its human before acting on mail unless told it may). */
  readonly messageSuffix: string
  /** The command line that starts it. */
  readonly launch: (options: LaunchOptions) => LaunchSpec
  /** Where its launchable agent types live, for a home and a project directory. */
  readonly agentTypeDirs: (home: string, projectDir: string) => ReadonlyArray<string>
}
