/** The dev proxy's vocabulary: the events it reacts to, the actions it takes, the state it keeps between them. */
import type { Option } from "effect"
import type { RpcMessage } from "./rpcMessage.js"

/** Something the proxy reacts to; `generation` tells one server process from the next. */
export type ProxyEvent =
  | { readonly _tag: "ClientLine"; readonly line: string }
  | { readonly _tag: "ClientClosed" }
  | { readonly _tag: "ServerLine"; readonly generation: number; readonly line: string }
  | {
    readonly _tag: "ServerExited"
    readonly generation: number
    readonly code: number | null
    readonly signal: string | null
  }
  | { readonly _tag: "Rebuilt" }
  | { readonly _tag: "ReplayTimedOut"; readonly generation: number }

/** Something the proxy does. */
export type ProxyAction =
  | { readonly _tag: "ToClient"; readonly line: string }
  | { readonly _tag: "ToServer"; readonly line: string }
  | { readonly _tag: "Spawn"; readonly generation: number }
  | { readonly _tag: "Stop"; readonly generation: number }
  | { readonly _tag: "AwaitReplay"; readonly generation: number }
  | { readonly _tag: "Log"; readonly message: string }
  | { readonly _tag: "Exit" }

/**
 * serving: lines flow; stopping: the old server is ending; replaying: the new one is being initialized; down: none
 * runs.
 */
export type ProxyPhase = "serving" | "stopping" | "replaying" | "down" | "closing"

/** What the proxy remembers between events. */
export interface ProxyState {
  readonly phase: ProxyPhase
  readonly generation: number
  /** The client's initialize request and the key of its id, replayed to every new server. */
  readonly initialize: Option.Option<{ readonly key: string; readonly message: RpcMessage }>
  /** Whether the client sent `notifications/initialized` (replayed too). */
  readonly initialized: boolean
  /** The client's requests the current server has not answered, by id key. */
  readonly pending: ReadonlyMap<string, unknown>
  /** Client lines held while a server is stopping or being initialized, in order. */
  readonly held: ReadonlyArray<string>
  /** Why no server runs, for calls made while down. */
  readonly downReason: string
}

/** The outcome of one event. */
export interface ProxyStep {
  readonly state: ProxyState
  readonly actions: ReadonlyArray<ProxyAction>
}
