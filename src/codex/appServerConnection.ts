/**
 * A client connection to Codex's app server over its control socket: WebSocket over a unix socket, one JSON-RPC
 * message per text frame, without the `"jsonrpc"` field.
 */
import { Deferred, Effect, Exit, PubSub, type Queue, Runtime, type Scope } from "effect"
import * as fs from "node:fs"
import WebSocket from "ws"
import { CodexUnavailable } from "../errors/codex.js"

/** A notification the app server pushes to every connection (`thread/status/changed`, `turn/started`, ...). */
export interface AppServerNotification {
  readonly method: string
  readonly params: unknown
}

/** An open, initialized connection. */
export interface AppServerConnection {
  /** Sends a request and waits for its result; fails with CodexUnavailable on an error answer or a lost connection. */
  readonly request: (method: string, params: unknown) => Effect.Effect<unknown, CodexUnavailable>
  /** Subscribes, for the scope, to every notification received from now on. */
  readonly subscribe: Effect.Effect<Queue.Dequeue<AppServerNotification>, never, Scope.Scope>
  /** Completes when the connection has closed. */
  readonly closed: Effect.Effect<void>
}

interface Incoming {
  readonly id?: unknown
  readonly method?: unknown
  readonly params?: unknown
  readonly result?: unknown
  readonly error?: { readonly message?: unknown }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** The `ws+unix:` URL of a socket, with its symlinks resolved (Codex links the control socket to a short path). */
const socketUrl = (socketPath: string) => `ws+unix://${fs.realpathSync(socketPath)}:/rpc`

/**
 * Connects to the app server at `socketPath` and performs the handshake (`initialize` with the experimental API,
 * then `initialized`); the connection closes with the scope. Fails with CodexUnavailable when there is no server.
 */
export const connectAppServer = (
  socketPath: string,
  clientName: string
): Effect.Effect<AppServerConnection, CodexUnavailable, Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const notifications = yield* PubSub.unbounded<AppServerNotification>()
    const closed = yield* Deferred.make<void>()
    const pending = new Map<number, (exit: Exit.Exit<unknown, CodexUnavailable>) => void>()
    let nextId = 1
    const socket = yield* Effect.acquireRelease(
      Effect.async<WebSocket, CodexUnavailable>((resume) => {
        let url: string
        try {
          url = socketUrl(socketPath)
        } catch (error) {
          return resume(
            Effect.fail(
              new CodexUnavailable({
                reason: `no Codex app server at ${socketPath} (${describe(error)})`,
                cause: error
              })
            )
          )
        }
        const ws = new WebSocket(url)
        const onError = (error: Error) =>
          resume(
            Effect.fail(
              new CodexUnavailable({ reason: `cannot connect to ${socketPath}: ${error.message}`, cause: error })
            )
          )
        ws.once("error", onError)
        ws.once("open", () => {
          ws.off("error", onError)
          resume(Effect.succeed(ws))
        })
      }),
      (ws) => Effect.sync(() => ws.close())
    )
    const settleAll = (reason: string) => {
      for (const [id, settle] of pending) {
        pending.delete(id)
        settle(Exit.fail(new CodexUnavailable({ reason })))
      }
    }
    socket.on("message", (data: WebSocket.RawData) => {
      let message: Incoming
      try {
        message = JSON.parse(data.toString()) as Incoming
      } catch {
        return
      }
      if (typeof message.method === "string") {
        // A request of the server's (an approval) is the TUI's to answer; notifications go to every subscriber.
        if (message.id === undefined) {
          Runtime.runSync(runtime)(PubSub.publish(notifications, { method: message.method, params: message.params }))
        }
        return
      }
      if (typeof message.id !== "number") return
      const settle = pending.get(message.id)
      pending.delete(message.id)
      if (message.error !== undefined) {
        settle?.(Exit.fail(new CodexUnavailable({ reason: String(message.error.message ?? "error") })))
      } else {
        settle?.(Exit.succeed(message.result))
      }
    })
    socket.on("error", () => {})
    socket.on("close", () => {
      settleAll("the Codex app server closed the connection")
      Deferred.unsafeDone(closed, Exit.void)
    })
    const send = (message: Record<string, unknown>) =>
      Effect.try({
        try: () => socket.send(JSON.stringify(message)),
        catch: (error) => new CodexUnavailable({ reason: describe(error), cause: error })
      })
    const request = (method: string, params: unknown) =>
      Effect.flatten(Effect.async<Effect.Effect<unknown, CodexUnavailable>>((resume) => {
        const id = nextId++
        pending.set(id, (exit) => resume(Effect.succeed(exit)))
        try {
          socket.send(JSON.stringify({ id, method, params }))
        } catch (error) {
          pending.delete(id)
          resume(Effect.succeed(Effect.fail(new CodexUnavailable({ reason: describe(error), cause: error }))))
        }
        return Effect.sync(() => pending.delete(id))
      }))
    yield* request("initialize", {
      clientInfo: { name: clientName, version: "1" },
      capabilities: { experimentalApi: true }
    })
    yield* send({ method: "initialized" })
    return {
      request,
      subscribe: PubSub.subscribe(notifications),
      closed: Deferred.await(closed)
    } satisfies AppServerConnection
  })
