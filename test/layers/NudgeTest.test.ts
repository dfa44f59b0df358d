import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import * as AppTest from "../../src/layers/AppTest.js"
import * as NudgeTest from "../../src/layers/NudgeTest.js"
import { sendMessage } from "../../src/programs/bus.js"
import { Registry } from "../../src/services/Registry.js"
import { id, registration } from "../support/unitFixtures.js"

const layer = Layer.provideMerge(NudgeTest.layerTest, AppTest.layerTest({ selfId: "me:general" }))

describe("NudgeTest", () => {
  it.effect("records every delivered recipient of a send and answers with the configured outcome", () =>
    Effect.gen(function*() {
      const registry = yield* Registry
      const controls = yield* NudgeTest.NudgeTestControl
      yield* registry.register(
        registration({ explicitId: id("bob") }),
        Option.none(),
        "2026-01-01T00:00:00.000000+00:00"
      )
      yield* registry.register(
        registration({ explicitId: id("carol") }),
        Option.none(),
        "2026-01-01T00:00:01.000000+00:00"
      )
      const first = yield* sendMessage({ to: "bob;carol", content: "hi" })
      yield* Ref.set(controls.outcome, {
        nudged: false,
        method: "none",
        confirmed: false,
        pending: false,
        reason: "throttled"
      })
      const second = yield* sendMessage({ to: "bob", content: "again" })
      expect(yield* Ref.get(controls.woken)).toEqual(["bob", "carol", "bob"])
      expect([first.nudged, second.nudged]).toEqual([true, false])
    }).pipe(Effect.provide(layer)))
})
