import { Command, CommandExecutor } from "@effect/platform"
import { Chunk, Effect, Layer, Option, Stream } from "effect"
import { BusConfig } from "../services/BusConfig.js"
import {
  type PaneInfo,
  type PaneLaunch,
  type SpawnedPane,
  Tmux,
  TmuxCommandFailed,
  type TmuxShape,
  TmuxUnavailable
} from "../services/Tmux.js"
import { envFlags, execArgv, literal, sessionTarget } from "./tmuxArgv.js"

const paneFormat = [
  "#{pane_id}",
  "#{session_name}:#{window_index}.#{pane_index}",
  "#{pane_in_mode}",
  "#{pane_dead}",
  "#{pane_current_command}",
  "#{pane_title}"
].join("\t")

const parsePane = (line: string): PaneInfo | undefined => {
  const [paneId, target, inMode, dead, command, ...title] = line.split("\t")
  if (paneId === undefined || !paneId.startsWith("%") || target === undefined) return undefined
  return { paneId, target, inMode: inMode === "1", dead: dead === "1", command: command ?? "", title: title.join("\t") }
}

const spawnedFormat = `#{window_id}\t${paneFormat}`

const parseSpawned = (line: string): SpawnedPane | undefined => {
  const tab = line.indexOf("\t")
  const pane = tab === -1 ? undefined : parsePane(line.slice(tab + 1))
  const windowId = line.slice(0, tab)
  return pane && windowId.startsWith("@") ? { ...pane, windowId } : undefined
}

const launchArgs = (launch: PaneLaunch): ReadonlyArray<string> => [
  "-c",
  literal(launch.cwd),
  ...envFlags(launch.env),
  "--",
  ...execArgv(launch.command)
]

const noServer = /no server running|error connecting to|No such file or directory/

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(
    Stream.decodeText(),
    Stream.runCollect,
    Effect.map((chunks) => Chunk.join(chunks, "")),
    Effect.orElseSucceed(() => "")
  )

/** Builds tmux on `@effect/platform` Command: each call is one tmux process whose exit code is checked. */
export const make = Effect.gen(function*() {
  const executor = yield* CommandExecutor.CommandExecutor
  const { tmuxBin } = yield* BusConfig

  const run = (args: ReadonlyArray<string>): Effect.Effect<string, TmuxUnavailable | TmuxCommandFailed> =>
    Effect.scoped(
      Effect.gen(function*() {
        // -u: without a UTF-8 locale (an MCP server's environment often has no LANG) tmux prints the tab
        // separators of -F formats as '_', and no pane would parse.
        const process = yield* executor.start(Command.make(tmuxBin, "-u", ...args)).pipe(
          Effect.mapError((error) =>
            new TmuxUnavailable({
              reason: `cannot run '${tmuxBin}' (${error.message}); install tmux or set HELIOY_TMUX_BIN`
            })
          )
        )
        const [stdout, stderr, exitCode] = yield* Effect.all(
          [collect(process.stdout), collect(process.stderr), Effect.orElseSucceed(process.exitCode, () => -1)],
          { concurrency: 3 }
        )
        if (exitCode !== 0) {
          return yield* new TmuxCommandFailed({ args, exitCode, stderr: stderr.trim() })
        }
        return stdout
      })
    ).pipe(Effect.withSpan("Tmux.run", { attributes: { command: args[0] } }))

  const send = (args: ReadonlyArray<string>) => Effect.asVoid(run(["send-keys", ...args]))

  const spawn = (args: ReadonlyArray<string>) =>
    Effect.flatMap(run(args), (out) => {
      const pane = parseSpawned(out.trimEnd())
      return pane
        ? Effect.succeed(pane)
        : Effect.fail(new TmuxCommandFailed({ args, exitCode: 0, stderr: `unexpected output: ${out.trim()}` }))
    })

  // display-message exits 0 with an empty expansion when its target does not exist: an empty answer is a missing pane.
  const paneFormatOf = (paneId: string, format: string, shape: RegExp) =>
    Effect.flatMap(run(["display-message", "-p", "-t", paneId, format]), (out) => {
      const value = out.trim()
      return shape.test(value)
        ? Effect.succeed(value)
        : Effect.fail(new TmuxCommandFailed({ args: ["display-message", paneId], exitCode: 0, stderr: `can't find pane: ${paneId}` }))
    })

  return {
    listPanes: run(["list-panes", "-a", "-F", paneFormat]).pipe(
      Effect.map((out) => out.split("\n").flatMap((line) => parsePane(line) ?? [])),
      Effect.catchTag("TmuxCommandFailed", (error) =>
        noServer.test(error.stderr)
          ? Effect.succeed([])
          : Effect.fail(new TmuxUnavailable({ reason: `tmux list-panes failed: ${error.stderr}` })))
    ),
    pane: (target) =>
      run(["display-message", "-p", "-t", target, paneFormat]).pipe(
        Effect.flatMap((out) => {
          const pane = parsePane(out.trimEnd())
          return pane
            ? Effect.succeed(pane)
            : Effect.fail(new TmuxCommandFailed({ args: ["display-message", target], exitCode: 0, stderr: "no such pane" }))
        })
      ),
    cancelMode: (paneId) => send(["-t", paneId, "-X", "cancel"]),
    typeLiteral: (paneId, text) => send(["-t", paneId, "-l", "--", text]),
    pressEnter: (paneId) => send(["-t", paneId, "Enter"]),
    ensureGlobalHook: (hook, command) =>
      Effect.gen(function*() {
        const listed = yield* run(["show-hooks", "-g", hook]).pipe(
          Effect.catchTag("TmuxCommandFailed", () => Effect.succeed(""))
        )
        const entries = listed.split("\n").flatMap((line) => {
          const match = /^\S+\[(\d+)\]\s+(.*)$/.exec(line)
          return match ? [{ index: Number(match[1]), body: match[2] ?? "" }] : []
        })
        if (entries.some((entry) => entry.body.includes(command))) return
        const index = entries.reduce((max, entry) => Math.max(max, entry.index + 1), 0)
        yield* run(["set-hook", "-g", `${hook}[${index}]`, `run-shell -b ${JSON.stringify(command)}`])
      }),
    capture: (paneId, history = 0) =>
      run(["capture-pane", "-p", "-J", ...(history > 0 ? ["-S", `-${Math.floor(history)}`] : []), "-t", paneId]),
    newWindow: (options) =>
      spawn(["new-window", "-d", "-P", "-F", spawnedFormat, "-t", sessionTarget(options.session), "-n", options.name, ...launchArgs(options)]),
    splitWindow: (options) => spawn(["split-window", "-d", "-P", "-F", spawnedFormat, "-t", options.target, ...launchArgs(options)]),
    signal: (channel) => Effect.asVoid(run(["wait-for", "-S", channel])),
    selectLayout: (window, layout) => Effect.asVoid(run(["select-layout", "-t", window, layout])),
    setPaneTitle: (paneId, title) => Effect.asVoid(run(["select-pane", "-t", paneId, "-T", literal(title)])),
    setWindowOption: (window, option, value) => Effect.asVoid(run(["set-option", "-w", "-t", window, option, value])),
    killPane: (paneId) => Effect.asVoid(run(["kill-pane", "-t", paneId])),
    killWindow: (window) => Effect.asVoid(run(["kill-window", "-t", window])),
    windowOf: (paneId) => paneFormatOf(paneId, "#{window_id}", /^@\d+$/),
    sessionOfPane: (paneId) => paneFormatOf(paneId, "#{session_name}", /./),
    exitStatusOf: (paneId) =>
      Effect.gen(function*() {
        const read = Effect.map(paneFormatOf(paneId, "#{pane_dead} #{pane_dead_status}", /^[01] ?-?\d*$/), (out) => out.split(" "))
        const [dead, status] = yield* read
        if (dead !== "1") return Option.none<number | null>()
        if (status !== undefined && status !== "") return Option.some<number | null>(Number(status))
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
      Effect.map(run(["list-windows", "-t", sessionTarget(session), "-F", "#{window_id}\t#{window_name}"]), (out) =>
        out.split("\n").flatMap((line) => {
          const tab = line.indexOf("\t")
          return tab > 0 && line.slice(tab + 1) === name ? [line.slice(0, tab)] : []
        }))
  } satisfies TmuxShape
})

/** tmux through child processes. */
export const layer = Layer.effect(Tmux, make)
