import { Context, Effect, Layer, Ref, Stream, SubscriptionRef } from "effect"
import { CodexUnavailable } from "../errors/codex.js"
import { CodexThreads, type CodexThreadsShape, type ThreadState } from "../services/CodexThreads.js"

/** Controls of the in-memory Codex threads: their states, and the turns started in them. */
export interface CodexThreadsControls {
  readonly states: SubscriptionRef.SubscriptionRef<ReadonlyMap<string, ThreadState>>
  readonly turns: Ref.Ref<ReadonlyArray<{ readonly threadId: string; readonly text: string }>>
  /** While true every call fails with CodexUnavailable, as with no daemon. */
  readonly down: Ref.Ref<boolean>
}

/** The controls of the in-memory Codex threads. */
export class CodexThreadsTestControl
  extends Context.Tag("helioy/CodexThreadsTestControl")<CodexThreadsTestControl, CodexThreadsControls>()
{}

/**
 * In-memory Codex threads: a started turn makes its thread active until the test settles it; unknown threads are not
 * loaded.
 */
export const layerTest = Layer.effectContext(Effect.gen(function*() {
  const controls: CodexThreadsControls = {
    states: yield* SubscriptionRef.make<ReadonlyMap<string, ThreadState>>(new Map()),
    turns: yield* Ref.make<ReadonlyArray<{ readonly threadId: string; readonly text: string }>>([]),
    down: yield* Ref.make(false)
  }
  const up = Effect.flatMap(
    Ref.get(controls.down),
    (down) => down ? Effect.fail(new CodexUnavailable({ reason: "no Codex daemon (test)" })) : Effect.void
  )
  const stateOf = (states: ReadonlyMap<string, ThreadState>, threadId: string) => states.get(threadId) ?? "notLoaded"
  const threads: CodexThreadsShape = {
    state: (threadId) =>
      Effect.zipRight(up, Effect.map(SubscriptionRef.get(controls.states), (states) => stateOf(states, threadId))),
    awaitSettled: (threadId) =>
      Effect.zipRight(
        up,
        controls.states.changes.pipe(
          Stream.map((states) => stateOf(states, threadId)),
          Stream.filter((state) => state !== "active" && state !== "waiting"),
          Stream.runHead,
          Effect.map((state) => state._tag === "Some" ? state.value : "notLoaded" as const)
        )
      ),
    startTurn: (threadId, text) =>
      Effect.gen(function*() {
        yield* up
        const state = stateOf(yield* SubscriptionRef.get(controls.states), threadId)
        if (state === "notLoaded") return yield* new CodexUnavailable({ reason: `thread not loaded: ${threadId}` })
        yield* Ref.update(controls.turns, (turns) => [...turns, { threadId, text }])
        yield* SubscriptionRef.update(controls.states, (states) => new Map(states).set(threadId, "active"))
        return `turn-${(yield* Ref.get(controls.turns)).length}`
      })
  }
  return Context.make(CodexThreads, threads).pipe(Context.add(CodexThreadsTestControl, controls))
}))
