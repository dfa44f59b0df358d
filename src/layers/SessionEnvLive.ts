import { Config, Effect, Layer, Option } from "effect"
import { SessionEnv, type SessionEnvShape } from "../services/SessionEnv.js"

const variable = (name: string, description: string) =>
  Config.string(name).pipe(
    Config.withDefault(""),
    Config.map((value) => value.trim()),
    Config.withDescription(description)
  )

/** Every variable the session hints come from, with what it means. */
const hints = Config.all({
  agentId: variable("HELIOY_AGENT_ID", "the agent id a launcher chose"),
  agentType: variable("HELIOY_AGENT_TYPE", "the agent type a launcher chose"),
  busAgentType: variable("HELIOY_BUS_AGENT_TYPE", "the agent type warroom gives its members"),
  runtime: variable("HELIOY_RUNTIME", "the runtime id the launch wrapper or warroom set"),
  sessionId: variable("HELIOY_SESSION_ID", "a runtime session id a launcher set"),
  claudeSessionId: variable("CLAUDE_CODE_SESSION_ID", "the Claude Code session this process runs under"),
  tmuxPane: variable("TMUX_PANE", "the tmux pane this process runs in"),
  busCwd: variable("HELIOY_BUS_CWD", "the launch directory the launch wrapper passes on"),
  logicalPwd: variable("PWD", "the working directory as the shell spelled it"),
  path: variable("PATH", "where programs are found")
})

const pid = (name: string) =>
  Config.integer(name).pipe(
    Config.option,
    Effect.map(Option.filter((value) => value > 1)),
    Effect.orElseSucceed(() => Option.none<number>())
  )

const pidFrom: SessionEnvShape["pidFrom"] = (names) =>
  Effect.gen(function*() {
    for (const name of names) {
      const found = yield* pid(name)
      if (Option.isSome(found)) return found
    }
    return Option.none<number>()
  })

/** Reads the session hints from the environment; never fails (every variable defaults to ""). */
export const make: Effect.Effect<SessionEnvShape> = Effect.map(
  Effect.orDie(hints),
  ({ busAgentType, busCwd, ...read }): SessionEnvShape => ({
    ...read,
    agentType: read.agentType || busAgentType,
    cwd: busCwd || process.cwd(),
    pidFrom
  })
)

/** The session hints from this process's environment. */
export const layer = Layer.effect(SessionEnv, make)

/** Fixed session hints for tests: nothing set, any field overridden. */
export const layerWith = (overrides: Partial<SessionEnvShape> = {}) =>
  Layer.succeed(SessionEnv, {
    agentId: "",
    agentType: "",
    runtime: "",
    sessionId: "",
    claudeSessionId: "",
    tmuxPane: "",
    cwd: "/nonexistent/project",
    logicalPwd: "",
    path: "",
    pidFrom: () => Effect.succeed(Option.none()),
    ...overrides
  })
