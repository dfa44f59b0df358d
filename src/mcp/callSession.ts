import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js"
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js"
import { Effect, Option } from "effect"
import { callerSession } from "../services/Identity.js"

/** What a tool handler is given besides its arguments. */
export type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>

/**
 * The runtime session a request names: Codex sends its thread as `_meta.threadId` with every tool call; never fails.
 */
export const sessionOfCall = (extra: CallExtra): Option.Option<string> => {
  const threadId = (extra._meta as Record<string, unknown> | undefined)?.threadId
  return typeof threadId === "string" && threadId !== "" ? Option.some(threadId) : Option.none()
}

/** Runs a program as the caller of this request: identity resolution sees the session the request names. */
export const inCall = <A, E, R>(extra: CallExtra, program: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(program, callerSession, sessionOfCall(extra))
