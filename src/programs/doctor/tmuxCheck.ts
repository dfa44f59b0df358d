import { Effect } from "effect"
import { BusConfig } from "../../services/BusConfig.js"
import { Tmux } from "../../services/Tmux.js"
import { ok, warn } from "./Check.js"

/** tmux: runs and says its version (`Tmux.version`); needed to wake idle agents, not to send mail. Never fails. */
export const tmuxCheck = Effect.gen(function*() {
  const { tmuxBin } = yield* BusConfig
  const tmux = yield* Tmux
  return yield* tmux.version.pipe(
    Effect.map((version) => ok("tmux", `${version} (${tmuxBin})`)),
    Effect.catchTags({
      TmuxUnavailable: () =>
        Effect.succeed(warn(
          "tmux",
          `${tmuxBin} not found (PATH or HELIOY_TMUX_BIN): mail still works, but idle agents cannot be nudged`,
          "install tmux"
        )),
      TmuxCommandFailed: (failed) =>
        Effect.succeed(warn(
          "tmux",
          `${tmuxBin} -V exited ${failed.exitCode}${failed.stderr === "" ? "" : ` (${failed.stderr})`}`,
          "idle agents cannot be nudged until tmux runs"
        ))
    })
  )
})
