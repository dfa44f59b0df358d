import { CommandExecutor } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { isPaneAddress, isSessionAddress, isWindowAddress, windowIdPattern } from "../domain/PaneAddress.js"
import { TmuxCommandFailed, TmuxUnavailable } from "../errors/tmux.js"
import { BusConfig } from "../services/BusConfig.js"
import { Tmux, type TmuxShape } from "../services/Tmux.js"
import { literal, sessionTarget, tmuxCommandArgument } from "./tmuxArgv.js"
import { launchArgs, paneFormat, parsePane, parseSpawned, spawnedFormat } from "./tmuxPanes.js"
import { foregroundOfPane, programRunner } from "./tmuxProcess.js"

const noServer = /no server running|error connecting to|No such file or directory/

const refused = (op: string, value: string, what: string) =>
  new TmuxCommandFailed({ args: [op], exitCode: -1, stderr: `refused ${JSON.stringify(value)}: not a ${what}` })

/** Builds tmux on `@effect/platform` Command: each call is one tmux process whose exit code is checked. */
export const make = Effect.gen(function*() {
  const executor = yield* CommandExecutor.CommandExecutor
  const { tmuxBin } = yield* BusConfig

  const runProgram = programRunner(executor, tmuxBin)

  // -u: without a UTF-8 locale (an MCP server's environment often has no LANG) tmux prints the tab separators of -F
  // formats as '_', and no pane would parse.
  const run = (args: ReadonlyArray<string>) =>
    runProgram(tmuxBin, ["-u", ...args]).pipe(Effect.withSpan("Tmux.run", { attributes: { command: args[0] } }))

  /**
   * Runs `op` only when `target` is a pane address (`%N` or `session:window.pane`), so tmux never reads it as an option
   * or a pattern.
   */
  const onPane = <A>(op: string, target: string, effect: () => Effect.Effect<A, TmuxUnavailable | TmuxCommandFailed>) =>
    isPaneAddress(target)
      ? Effect.suspend(effect)
      : Effect.fail(refused(op, target, "pane id %N or session:window.pane target"))

  const onWindow = <A>(
    op: string,
    target: string,
    effect: () => Effect.Effect<A, TmuxUnavailable | TmuxCommandFailed>
  ) => isWindowAddress(target) ? Effect.suspend(effect) : Effect.fail(refused(op, target, "window id @N"))

  const onSession = <A>(
    op: string,
    session: string,
    effect: () => Effect.Effect<A, TmuxUnavailable | TmuxCommandFailed>
  ) => isSessionAddress(session) ? Effect.suspend(effect) : Effect.fail(refused(op, session, "session name or id $N"))

  const send = (target: string, args: ReadonlyArray<string>) =>
    onPane("send-keys", target, () => Effect.asVoid(run(["send-keys", "-t", target, ...args])))

  const foregroundProgram = foregroundOfPane(runProgram)

  const spawn = (args: ReadonlyArray<string>) =>
    Effect.flatMap(run(args), (out) => {
      const pane = parseSpawned(out.trimEnd())
      return pane
        ? Effect.succeed(pane)
        : Effect.fail(new TmuxCommandFailed({ args, exitCode: 0, stderr: `unexpected output: ${out.trim()}` }))
    })

  // display-message exits 0 with an empty expansion when its target does not exist: an empty answer is a missing pane.
  const paneFormatOf = (paneId: string, format: string, shape: RegExp) =>
    Effect.flatMap(
      onPane("display-message", paneId, () => run(["display-message", "-p", "-t", paneId, format])),
      (out) => {
        const value = out.trim()
        return shape.test(value)
          ? Effect.succeed(value)
          : Effect.fail(
            new TmuxCommandFailed({
              args: ["display-message", paneId],
              exitCode: 0,
              stderr: `can't find pane: ${paneId}`
            })
          )
      }
    )

  return {
    version: Effect.map(runProgram(tmuxBin, ["-V"]), (out) => out.trim()).pipe(Effect.withSpan("Tmux.version")),
    listPanes: run(["list-panes", "-a", "-F", paneFormat]).pipe(
      Effect.map((out) => out.split("\n").flatMap((line) => parsePane(line) ?? [])),
      Effect.catchTag("TmuxCommandFailed", (error) =>
        noServer.test(error.stderr)
          ? Effect.succeed([])
          : Effect.fail(new TmuxUnavailable({ reason: `tmux list-panes failed: ${error.stderr}` })))
    ),
    pane: (target) =>
      onPane("display-message", target, () => run(["display-message", "-p", "-t", target, paneFormat])).pipe(
        Effect.flatMap((out) => {
          const pane = parsePane(out.trimEnd())
          return pane
            ? Effect.succeed(pane)
            : Effect.fail(
              new TmuxCommandFailed({ args: ["display-message", target], exitCode: 0, stderr: "no such pane" })
            )
        })
      ),
    cancelMode: (paneId) => send(paneId, ["-X", "cancel"]),
    typeLiteral: (paneId, text) => send(paneId, ["-l", "--", text]),
    pressEnter: (paneId) => send(paneId, ["Enter"]),
    ensureGlobalHook: (hook, command) =>
      Effect.gen(function*() {
        const listed = yield* run(["show-hooks", "-g", hook]).pipe(
          Effect.catchTag("TmuxCommandFailed", () => Effect.succeed(""))
        )
        const entries = listed.split("\n").flatMap((line) => {
          const match = /^\S+\[(\d+)\]\s+(.*)$/.exec(line)
          return match ? [{ index: Number(match[1]), body: match[2] ?? "" }] : []
        })
        const argument = tmuxCommandArgument(command)
        if (entries.some((entry) => entry.body.includes(argument))) return
        if (/[\p{Cc}]/u.test(command)) return yield* refused("set-hook", command, "command without control characters")
        const index = entries.reduce((max, entry) => Math.max(max, entry.index + 1), 0)
        yield* run(["set-hook", "-g", `${hook}[${index}]`, `run-shell -b ${argument}`])
      }),
    capture: (paneId, history = 0) =>
      onPane(
        "capture-pane",
        paneId,
        () => run(["capture-pane", "-p", "-J", ...(history > 0 ? ["-S", `-${Math.floor(history)}`] : []), "-t", paneId])
      ),
    newWindow: (options) =>
      onSession(
        "new-window",
        options.session,
        () =>
          spawn([
            "new-window",
            "-d",
            "-P",
            "-F",
            spawnedFormat,
            "-t",
            sessionTarget(options.session),
            "-n",
            options.name,
            ...launchArgs(options)
          ])
      ),
    splitWindow: (options) =>
      (windowIdPattern.test(options.target) ? onWindow : onPane)(
        "split-window",
        options.target,
        () => spawn(["split-window", "-d", "-P", "-F", spawnedFormat, "-t", options.target, ...launchArgs(options)])
      ),
    signal: (channel) => Effect.asVoid(run(["wait-for", "-S", channel])),
    selectLayout: (window, layout) =>
      onWindow("select-layout", window, () => Effect.asVoid(run(["select-layout", "-t", window, layout]))),
    setPaneTitle: (paneId, title) =>
      onPane("select-pane", paneId, () => Effect.asVoid(run(["select-pane", "-t", paneId, "-T", literal(title)]))),
    setWindowOption: (window, option, value) =>
      onWindow("set-option", window, () => Effect.asVoid(run(["set-option", "-w", "-t", window, option, value]))),
    killPane: (paneId) => onPane("kill-pane", paneId, () => Effect.asVoid(run(["kill-pane", "-t", paneId]))),
    killWindow: (window) => onWindow("kill-window", window, () => Effect.asVoid(run(["kill-window", "-t", window]))),
    windowOf: (paneId) => paneFormatOf(paneId, "#{window_id}", /^@\d+$/),
    sessionOfPane: (paneId) => paneFormatOf(paneId, "#{session_name}", /./),
    exitStatusOf: (paneId) =>
      Effect.gen(function*() {
        const read = Effect.map(paneFormatOf(paneId, "#{pane_dead} #{pane_dead_status}", /^[01] ?-?\d*$/), (out) =>
          out.split(" "))
        const [dead, status] = yield* read
        if (dead !== "1") {
          return Option.none<number | null>()
        }
        if (status !== undefined && status !== "") {
          return Option.some<number | null>(Number(status))
        }
        // tmux 3.3 sometimes marks a pane dead (its terminal closed) but misses reaping its program; any child of the
        // server that exits makes it reap every zombie, and the status shows.
        yield* Effect.ignore(run(["run-shell", "true"]))
        const [, reaped] = yield* read
        return Option.some<number | null>(reaped === undefined || reaped === "" ? null : Number(reaped))
      }),
    globalEnvironment: (name) =>
      run(["show-environment", "-g", "--", name]).pipe(
        Effect.map((out) => {
          const line = out.trim()
          return line.startsWith(`${name}=`) ? Option.some(line.slice(name.length + 1)) : Option.none<string>()
        }),
        Effect.catchTag("TmuxCommandFailed", () => Effect.succeed(Option.none<string>()))
      ),
    windowsNamed: (session, name) =>
      onSession(
        "list-windows",
        session,
        () =>
          Effect.map(run(["list-windows", "-t", sessionTarget(session), "-F", "#{window_id}\t#{window_name}"]), (out) =>
            out.split("\n").flatMap((line) => {
              const tab = line.indexOf("\t")
              return tab > 0 && line.slice(tab + 1) === name ? [line.slice(0, tab)] : []
            }))
      ),
    foreground: (paneId) =>
      Effect.gen(function*() {
        const panePid = Number(yield* paneFormatOf(paneId, "#{pane_pid}", /^\d+$/))
        const program = yield* foregroundProgram(panePid)
        if (program === undefined) {
          return yield* new TmuxCommandFailed({
            args: ["foreground", paneId],
            exitCode: 0,
            stderr: `no foreground process found under pid ${panePid}`
          })
        }
        return program
      })
  } satisfies TmuxShape
})

/** tmux through child processes. */
export const layer = Layer.effect(Tmux, make)
