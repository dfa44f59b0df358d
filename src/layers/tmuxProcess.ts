/** Running tmux (and ps) as child processes, and reading a pane's foreground program. */
import { Command, type CommandExecutor } from "@effect/platform"
import { Chunk, Effect, Stream } from "effect"
import * as fs from "node:fs"
import { fallbackShells, foregroundOf, type PaneProgram, programKind, shellNames } from "../domain/PaneProgram.js"
import { TmuxCommandFailed, TmuxUnavailable } from "../errors/tmux.js"
import { parsePs, procNames, procTable } from "../os/processTable.js"

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(
    Stream.decodeText(),
    Stream.runCollect,
    Effect.map((chunks) => Chunk.join(chunks, "")),
    Effect.orElseSucceed(() => "")
  )

/** The shells of this host, from `/etc/shells` (a built-in list when it cannot be read). */
const hostShells = (): ReadonlySet<string> => {
  try {
    return new Set([...shellNames(fs.readFileSync("/etc/shells", "utf8"))])
  } catch {
    return fallbackShells
  }
}

/**
 * Runs one program to its end with `executor`; fails with TmuxUnavailable when it cannot start, TmuxCommandFailed (its
 * exit code and stderr) when it exits non-zero.
 */
export const programRunner = (executor: CommandExecutor.CommandExecutor, tmuxBin: string) =>
(
  bin: string,
  args: ReadonlyArray<string>
): Effect.Effect<string, TmuxUnavailable | TmuxCommandFailed> =>
  Effect.scoped(
    Effect.gen(function*() {
      const process = yield* executor.start(Command.make(bin, ...args)).pipe(
        Effect.mapError((error) =>
          new TmuxUnavailable({
            reason: `cannot run '${bin}' (${error.message}); ${
              bin === tmuxBin ? "install tmux or set HELIOY_TMUX_BIN" : `install ${bin}`
            }`,
            cause: error
          })
        )
      )
      const [stdout, stderr, exitCode] = yield* Effect.all(
        [collect(process.stdout), collect(process.stderr), Effect.orElseSucceed(process.exitCode, () => -1)],
        { concurrency: 3 }
      )
      if (exitCode !== 0) {
        return yield* new TmuxCommandFailed({
          args: args.slice(bin === tmuxBin ? 1 : 0),
          exitCode,
          stderr: stderr.trim()
        })
      }
      return stdout
    })
  )

/**
 * The foreground program under a pane's process, from `/proc`, else from `ps` through `runProgram` (names: its command
 * only); undefined when there is none; never fails.
 */
export const foregroundOfPane =
  (runProgram: ReturnType<typeof programRunner>) => (panePid: number): Effect.Effect<PaneProgram | undefined> =>
    Effect.gen(function*() {
      const fromProc = procTable()
      const rows = fromProc === undefined
        ? parsePs(
          yield* Effect.orElseSucceed(runProgram("ps", ["-A", "-o", "pid=,ppid=,pgid=,tpgid=,comm="]), () => "")
        )
        : fromProc.map((row) => ({ row, comm: "" }))
      const leader = foregroundOf(rows.map((entry) => entry.row), panePid)
      if (leader === undefined) return undefined
      const names = fromProc === undefined
        ? rows.filter((entry) => entry.row.pid === leader.pid).map((entry) => entry.comm)
        : procNames(leader.pid)
      return { pid: leader.pid, names, kind: programKind(names, hostShells()) }
    })
