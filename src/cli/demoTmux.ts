import { Data, Effect, Schedule } from "effect"
import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import { join } from "node:path"
import { DemoFailed } from "../errors/demo.js"
import { reasonOf } from "./demoServer.js"

/** A scratch tmux server on a private socket, with one pane running a stand-in agent UI. */
export interface ScratchTmux {
  /** The environment that reaches this server only (give it to the bus servers). */
  readonly env: { readonly TMUX_TMPDIR: string }
  /** The stand-in agent's pane, `%N`. */
  readonly paneId: string
  /** Its address `session:window.pane`. */
  readonly target: string
}

const runTmux = (tmuxTmpdir: string | undefined, args: ReadonlyArray<string>) =>
  Effect.async<string, DemoFailed>((resume) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(tmuxTmpdir === undefined ? {} : { TMUX_TMPDIR: tmuxTmpdir }) }
    delete env.TMUX
    delete env.TMUX_PANE
    execFile("tmux", [...args], { env, encoding: "utf8" }, (error, stdout, stderr) =>
      resume(
        error
          ? Effect.fail(new DemoFailed({ step: `tmux ${args[0]}`, reason: stderr.trim() || error.message }))
          : Effect.succeed(stdout)
      ))
  })

/** Whether tmux can be run from PATH; never fails. */
export const tmuxAvailable = runTmux(undefined, ["-V"]).pipe(Effect.as(true), Effect.orElseSucceed(() => false))

/**
 * Starts a tmux server under `root/tmux` (its own TMUX_TMPDIR, TMUX unset) with one detached pane running `cat`;
 * the server is killed when the scope closes; fails with DemoFailed when tmux cannot start it.
 */
export const scratchTmux = (root: string) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const tmuxTmpdir = join(root, "tmux")
      yield* Effect.tryPromise({
        try: () => fs.mkdir(tmuxTmpdir, { mode: 0o700 }),
        catch: (error) => new DemoFailed({ step: "creating the tmux socket dir", reason: reasonOf(error) })
      })
      const created = yield* runTmux(tmuxTmpdir, [
        "new-session",
        "-d",
        "-s",
        "demo",
        "-x",
        "100",
        "-y",
        "12",
        "-P",
        "-F",
        "#{pane_id} #{session_name}:#{window_index}.#{pane_index}",
        "cat"
      ])
      const [paneId = "", target = ""] = created.trim().split(" ")
      return { tmuxTmpdir, paneId, target }
    }),
    ({ tmuxTmpdir }) => Effect.ignore(runTmux(tmuxTmpdir, ["kill-server"]))
  ).pipe(
    Effect.map(({ paneId, target, tmuxTmpdir }): ScratchTmux => ({ env: { TMUX_TMPDIR: tmuxTmpdir }, paneId, target }))
  )

class NotYet extends Data.TaggedError("NotYet") {}

/** The visible text of the stand-in pane; fails with DemoFailed when tmux cannot capture it. */
export const capturePane = (tmux: ScratchTmux) =>
  runTmux(tmux.env.TMUX_TMPDIR, ["capture-pane", "-p", "-J", "-t", tmux.paneId])

/**
 * Polls the stand-in pane (every 50 ms, up to 3 s) until its text contains `expected`; succeeds with whether it
 * did and the last text seen; fails with DemoFailed when tmux cannot capture the pane.
 */
export const awaitPaneText = (tmux: ScratchTmux, expected: string) =>
  capturePane(tmux).pipe(
    Effect.filterOrFail((text) => text.includes(expected), () => new NotYet()),
    Effect.retry({
      while: (error) => error._tag === "NotYet",
      schedule: Schedule.spaced("50 millis").pipe(Schedule.upTo("3 seconds"))
    }),
    Effect.map((text) => ({ landed: true, text })),
    Effect.catchTag("NotYet", () => Effect.map(capturePane(tmux), (text) => ({ landed: false, text })))
  )
