import { Context, type Effect } from "effect"
import type { BusDirRefused } from "../errors/stores.js"

/** The configured bus dir as found. */
export interface BusDirFound {
  /** The bus dir's absolute path. */
  readonly root: string
  /** Whether it exists (the first `helioy-bus serve` creates a missing one). */
  readonly exists: boolean
}

/** A look at the bus dir that creates nothing (for `helioy-bus doctor`; the server uses `BusDir`). */
export interface BusDirCheckShape {
  /**
   * Checks the configured bus dir and the subdirectories it has by the rules the server refuses to start on (a real
   * directory of yours, not group- or world-writable); creates nothing. Fails with BusDirRefused naming the path and
   * what to do.
   */
  readonly inspect: Effect.Effect<BusDirFound, BusDirRefused>
}

/** The read-only bus dir check. */
export class BusDirCheck extends Context.Tag("helioy/BusDirCheck")<BusDirCheck, BusDirCheckShape>() {}
