/** `Tmux.version` on the live layer (stand-in tmux binaries) and on the recording test layer. */
import { NodeCommandExecutor, NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as TmuxLive from "../../src/layers/TmuxLive.js"
import * as TmuxTest from "../../src/layers/TmuxTest.js"
import { Tmux } from "../../src/services/Tmux.js"
import { tempDir } from "../integration/liveBus.js"

/** The live layer over `tmuxBin`. */
const liveWith = (root: string, tmuxBin: string) =>
  TmuxLive.layer.pipe(
    Layer.provide(NodeCommandExecutor.layer.pipe(Layer.provide(NodeFileSystem.layer))),
    Layer.provide(BusConfigLive.layer({ busDir: join(root, "bus"), tmuxBin }))
  )

/** A stand-in tmux that runs a shell script. */
const script = (root: string, name: string, body: string) => {
  const bin = join(root, name)
  fs.writeFileSync(bin, `#!/bin/sh\n${body}\n`, { mode: 0o700 })
  return bin
}

const version = Effect.flatMap(Tmux, (tmux) => tmux.version)

describe("Tmux.version, live", () => {
  it.scoped("answers what `tmux -V` prints, trimmed", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-tmuxversion-")
      const bin = script(root, "tmux", "[ \"$*\" = \"-V\" ] && echo 'tmux 3.9z' || exit 9")
      expect(yield* version.pipe(Effect.provide(liveWith(root, bin)))).toBe("tmux 3.9z")
    }))

  it.scoped("fails with TmuxCommandFailed and the exit code when tmux exits non-zero", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-tmuxversion-")
      const bin = script(root, "tmux", "echo broken >&2; exit 3")
      const error = yield* Effect.flip(version.pipe(Effect.provide(liveWith(root, bin))))
      expect(error).toMatchObject({ _tag: "TmuxCommandFailed", exitCode: 3, stderr: "broken" })
    }))

  it.scoped("fails with TmuxUnavailable when tmux cannot be run", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-tmuxversion-")
      const error = yield* Effect.flip(version.pipe(Effect.provide(liveWith(root, join(root, "no-such-tmux")))))
      expect(error._tag).toBe("TmuxUnavailable")
    }))
})

describe("Tmux.version, recording test layer", () => {
  it.effect("answers a default version, or the one it is told, and fails when tmux is missing", () =>
    Effect.gen(function*() {
      const control = yield* TmuxTest.TmuxTestControl
      expect(yield* version).toBe(TmuxTest.testTmuxVersion)
      yield* Ref.set(control.version, "tmux next-3.6")
      expect(yield* version).toBe("tmux next-3.6")
      yield* Ref.set(control.missing, true)
      expect((yield* Effect.flip(version))._tag).toBe("TmuxUnavailable")
    }).pipe(Effect.provide(TmuxTest.layerTest)))
})
