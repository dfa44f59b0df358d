import { Effect, Layer } from "effect"
import { BusDirRefused } from "../errors/stores.js"
import { BusDirCheck, type BusDirFound } from "../services/BusDirCheck.js"

/** A bus dir check that finds what it is told: a bus dir (by default an existing `/bus`) or a refusal. */
export const layerTest = (found: BusDirFound | BusDirRefused = { root: "/bus", exists: true }) =>
  Layer.succeed(BusDirCheck, {
    inspect: found instanceof BusDirRefused ? Effect.fail(found) : Effect.succeed(found)
  })
