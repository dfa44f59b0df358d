/** One contract for the process table, run against `/proc` and against `ps` (what systems without `/proc` use). */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { spawn } from "node:child_process"
import * as ProcessesLive from "../../src/layers/ProcessesLive.js"
import { Processes } from "../../src/services/Processes.js"

/** A `sleep` child of this process, killed with the scope. */
const sleeper = Effect.acquireRelease(
  Effect.sync(() => spawn("sleep", ["30"], { stdio: "ignore" })),
  (child) => Effect.sync(() => child.kill("SIGKILL"))
)

const contract = (name: string, layer: Layer.Layer<Processes>) =>
  describe(`Processes contract: ${name}`, () => {
    it.scoped("a child's parent is this process, its command is its program, and it is alive until it ends", () =>
      Effect.gen(function*() {
        const processes = yield* Processes
        const child = yield* sleeper
        const pid = child.pid!
        expect(yield* processes.parentOf(pid)).toEqual(Option.some(process.pid))
        expect(yield* processes.commandOf(pid)).toEqual(Option.some("sleep"))
        expect(yield* processes.isAlive(pid)).toBe(true)
        child.kill("SIGKILL")
        yield* Effect.promise(() => new Promise((resolve) => child.once("exit", resolve)))
        expect(yield* processes.isAlive(pid)).toBe(false)
        expect(yield* processes.parentOf(pid)).toEqual(Option.none())
        expect(yield* processes.commandOf(pid)).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("this process's parent is the one Node knows", () =>
      Effect.gen(function*() {
        const processes = yield* Processes
        expect(processes.self).toBe(process.pid)
        expect(yield* processes.parentOf(processes.self)).toEqual(Option.some(process.ppid))
        expect(yield* processes.parentOf(process.ppid)).not.toEqual(Option.none())
      }).pipe(Effect.provide(layer)))

    it.effect("finds an executable on a search path, and nothing where there is none", () =>
      Effect.gen(function*() {
        const processes = yield* Processes
        expect(Option.isSome(yield* processes.findExecutable("sh", "/nonexistent:/bin:/usr/bin"))).toBe(true)
        expect(yield* processes.findExecutable("no-such-program-here", "/bin:/usr/bin")).toEqual(Option.none())
      }).pipe(Effect.provide(layer)))
  })

contract("/proc", ProcessesLive.layerProc)
contract("ps", ProcessesLive.layerPs)
