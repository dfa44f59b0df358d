import { Context, Effect, Layer, Option, Ref } from "effect"
import { Processes, type ProcessesShape } from "../services/Processes.js"

/** The fake process table: pid to parent pid; a pid in it is alive. */
export class ProcessTable extends Context.Tag("helioy/ProcessTable")<ProcessTable, Ref.Ref<ReadonlyMap<number, number>>>() {}

/** A fake process table where `self` is 1000 with parent 999 (both alive) unless changed. */
export const layerTest = Layer.effectContext(Effect.gen(function*() {
  const table = yield* Ref.make<ReadonlyMap<number, number>>(new Map([[1000, 999], [999, 1]]))
  const processes: ProcessesShape = {
    self: 1000,
    parentOf: (pid) => Effect.map(Ref.get(table), (map) => Option.fromNullable(map.get(pid))),
    commandOf: (pid) => Effect.map(Ref.get(table), (map) => map.has(pid) ? Option.some("node") : Option.none()),
    isAlive: (pid) => Effect.map(Ref.get(table), (map) => map.has(pid))
  }
  return Context.make(Processes, processes).pipe(Context.add(ProcessTable, table))
}))
