import { NodeCommandExecutor, NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as TmuxLive from "../../src/layers/TmuxLive.js"
import { Tmux } from "../../src/services/Tmux.js"
import { tempDir } from "../integration/liveBus.js"

/** The live tmux layer over a stand-in tmux binary that only records its argv. */
const recordingTmux = (root: string) => {
  const log = join(root, "tmux.log")
  const bin = join(root, "tmux")
  fs.writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o700 })
  const layer = TmuxLive.layer.pipe(
    Layer.provide(NodeCommandExecutor.layer.pipe(Layer.provide(NodeFileSystem.layer))),
    Layer.provide(BusConfigLive.layer({ busDir: join(root, "bus"), tmuxBin: bin }))
  )
  return { layer, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) }
}

describe("TmuxLive addresses", () => {
  it.scoped("pane ids, targets, windows and sessions tmux would misread never reach tmux", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-tmuxlive-")
      const { calls, layer } = recordingTmux(root)
      const failures = yield* Effect.gen(function*() {
        const tmux = yield* Tmux
        return yield* Effect.all([
          Effect.flip(tmux.pane("-t")),
          Effect.flip(tmux.pane("=main:")),
          Effect.flip(tmux.typeLiteral("-X", "text")),
          Effect.flip(tmux.pressEnter("main")),
          Effect.flip(tmux.cancelMode("%1;kill-server")),
          Effect.flip(tmux.capture("{last}")),
          Effect.flip(tmux.killPane("-a")),
          Effect.flip(tmux.killWindow("-a")),
          Effect.flip(tmux.selectLayout("=x", "tiled")),
          Effect.flip(tmux.windowOf("-t")),
          Effect.flip(tmux.foreground("=main:")),
          Effect.flip(tmux.newWindow({ session: "-x", name: "w", cwd: root, env: {}, command: ["true"] })),
          Effect.flip(tmux.windowsNamed("=s", "w"))
        ])
      }).pipe(Effect.provide(layer))
      for (const failure of failures) {
        expect(failure._tag).toBe("TmuxCommandFailed")
        expect(failure._tag === "TmuxCommandFailed" && failure.stderr).toMatch(/^refused /)
      }
      expect(calls()).toEqual([])
    }))

  it.scoped("well-formed addresses go through", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-tmuxlive-")
      const { calls, layer } = recordingTmux(root)
      yield* Effect.gen(function*() {
        const tmux = yield* Tmux
        yield* tmux.pressEnter("%3")
        yield* tmux.pressEnter("main:0.1")
        yield* tmux.killWindow("@4")
      }).pipe(Effect.provide(layer))
      expect(calls()).toEqual(["-u send-keys -t %3 Enter", "-u send-keys -t main:0.1 Enter", "-u kill-window -t @4"])
    }))
})
