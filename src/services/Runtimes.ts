import { Context, type Option } from "effect"
import type { PermissionChoice } from "../domain/Permissions.js"
import type { RuntimeAdapter } from "../domain/RuntimeAdapter.js"

/** The known agent runtimes. */
export interface RuntimesShape {
  /** The adapter of a runtime id; none for an unknown id (such agents are never typed into). */
  readonly get: (id: string) => Option.Option<RuntimeAdapter>
  /** Every adapter, default first. */
  readonly all: ReadonlyArray<RuntimeAdapter>
  /** The runtime used when none is named (`claude`). */
  readonly defaultRuntime: RuntimeAdapter
  /** The members' permissions when a spawn and its preset name none (configuration; unchecked text). */
  readonly permissionDefaults: PermissionChoice
}

/** The runtime adapters. */
export class Runtimes extends Context.Tag("helioy/Runtimes")<Runtimes, RuntimesShape>() {}
