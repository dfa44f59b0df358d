/** The errors of `helioy-bus demo`. */
import { Data } from "effect"

/** A step of the demo that did not work; `reason` says what happened. */
export class DemoFailed extends Data.TaggedError("DemoFailed")<{ readonly step: string; readonly reason: string }> {
  override get message() {
    return `demo: ${this.step} failed: ${this.reason}`
  }
}
