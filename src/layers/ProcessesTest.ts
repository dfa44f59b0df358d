import { Context, Effect, Layer, Option, Ref } from "effect"
import { Processes, type ProcessesShape } from "../services/Processes.js"

/** The fake process table: pid to parent pid; a pid in it is alive. */
export class ProcessTable
  extends Context.Tag("helioy/ProcessTable")<ProcessTable, Ref.Ref<ReadonlyMap<number, number>>>()
{}

/** The executables the fake system has, by name (each found on any search path). */
export class ExecutableTable
  extends Context.Tag("helioy/ExecutableTable")<ExecutableTable, Ref.Ref<ReadonlySet<string>>>()
{}

/**
 * A fake process table where `self` is 1000 with parent 999 (both alive) unless changed, run by user `userId`
 * (default 1000), with the executables `claude`, `codex`, `grok` and `helioy-bus`.
 */
export const layerWith = (options: { readonly userId?: number | undefined } = {}) =>
  Layer.effectContext(Effect.gen(function*() {
    const table = yield* Ref.make<ReadonlyMap<number, number>>(new Map([[1000, 999], [999, 1]]))
    const executables = yield* Ref.make<ReadonlySet<string>>(new Set(["claude", "codex", "grok", "helioy-bus"]))
    const processes: ProcessesShape = {
      self: 1000,
      parentOf: (pid) => Effect.map(Ref.get(table), (map) => Option.fromNullable(map.get(pid))),
      commandOf: (pid) => Effect.map(Ref.get(table), (map) => map.has(pid) ? Option.some("node") : Option.none()),
      isAlive: (pid) => Effect.map(Ref.get(table), (map) => map.has(pid)),
      userId: "userId" in options ? options.userId : 1000,
      findExecutable: (name) =>
        Effect.map(Ref.get(executables), (found) => found.has(name) ? Option.some(`/usr/bin/${name}`) : Option.none())
    }
    return Context.make(Processes, processes).pipe(
      Context.add(ProcessTable, table),
      Context.add(ExecutableTable, executables)
    )
  }))

/** The fake process table with every default (user 1000). */
export const layerTest = layerWith()
