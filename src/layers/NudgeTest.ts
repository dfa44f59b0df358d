import { Context, Effect, Layer, Ref } from "effect"
import { Nudge, type NudgeOutcome, type NudgeShape } from "../services/Nudge.js"

/** The agents a recording nudger was asked to wake, in order, and the outcome it answers with. */
export interface NudgeControls {
  readonly woken: Ref.Ref<ReadonlyArray<string>>
  readonly outcome: Ref.Ref<NudgeOutcome>
}

/** The controls of the recording nudger. */
export class NudgeTestControl extends Context.Tag("helioy/NudgeTestControl")<NudgeTestControl, NudgeControls>() {}

/**
 * A nudger that only records whom it was asked to wake and answers a confirmed nudge unless told otherwise; never
 * fails.
 */
export const layerTest = Layer.effectContext(Effect.gen(function*() {
  const controls: NudgeControls = {
    woken: yield* Ref.make<ReadonlyArray<string>>([]),
    outcome: yield* Ref.make<NudgeOutcome>({ nudged: true, method: "nudge", confirmed: true, pending: false })
  }
  const record: NudgeShape["typeNotice"] = (recipient) =>
    Effect.zipRight(Ref.update(controls.woken, (woken) => [...woken, recipient.agent_id]), Ref.get(controls.outcome))
  const nudge: NudgeShape = { wake: record, typeNotice: record }
  return Context.make(Nudge, nudge).pipe(Context.add(NudgeTestControl, controls))
}))
