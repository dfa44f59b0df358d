import { Effect, Layer } from "effect"
import type { RegistryUnavailable } from "../errors/stores.js"
import { BusBackend, type BusBackendReport } from "../services/BusBackend.js"

/** A store that answers `report` (by default: the bus dir's, nothing to report). */
export const layerTest = (
  report: Effect.Effect<BusBackendReport, RegistryUnavailable> = Effect.succeed({ _tag: "Files" })
) => Layer.succeed(BusBackend, { report })
