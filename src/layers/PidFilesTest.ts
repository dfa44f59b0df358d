import { Effect, Layer, Option, Ref } from "effect"
import type { AgentId } from "../domain/AgentId.js"
import { PidFiles, type PidFilesShape } from "../services/PidFiles.js"

/** Builds in-memory pid files. */
export const make = Effect.gen(function*() {
  const files = yield* Ref.make<ReadonlyMap<number, AgentId>>(new Map())
  return {
    write: (pid, agentId) => Ref.update(files, (map) => new Map(map).set(pid, agentId)),
    read: (pid) => Effect.map(Ref.get(files), (map) => Option.fromNullable(map.get(pid))),
    remove: (pid) =>
      Ref.update(files, (map) => {
        const next = new Map(map)
        next.delete(pid)
        return next
      }),
    list: Effect.map(
      Ref.get(files),
      (map) => [...map].map(([pid, agentId]) => ({ pid, agentId: Option.some(agentId) }))
    )
  } satisfies PidFilesShape
})

/** In-memory pid files. */
export const layerTest = Layer.effect(PidFiles, make)
