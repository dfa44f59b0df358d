import { Effect, Layer, Option, Queue, Schema } from "effect"
import { connectAppServer } from "../codex/appServerConnection.js"
import { CodexUnavailable } from "../errors/codex.js"
import { CodexThreads, type CodexThreadsShape, type ThreadState } from "../services/CodexThreads.js"

const Status = Schema.Struct({
  type: Schema.String,
  activeFlags: Schema.optional(Schema.Array(Schema.String))
})

const ThreadRead = Schema.Struct({ thread: Schema.Struct({ status: Status }) })

const StatusChanged = Schema.Struct({ threadId: Schema.String, status: Status })

const TurnStarted = Schema.Struct({ turn: Schema.Struct({ id: Schema.String }) })

const stateOf = (status: typeof Status.Type): ThreadState => {
  switch (status.type) {
    case "idle":
      return "idle"
    case "active":
      return (status.activeFlags ?? []).length > 0 ? "waiting" : "active"
    case "notLoaded":
      return "notLoaded"
    default:
      return "error"
  }
}

const decoded = <A, I>(schema: Schema.Schema<A, I>, what: string) => (value: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(schema)(value),
    () => new CodexUnavailable({ reason: `unexpected ${what} from the Codex app server` })
  )

/** A thread's state is settled once no turn runs or waits in it. */
const settled = (state: ThreadState) => state !== "active" && state !== "waiting"

/**
 * Builds the threads over the daemon's control socket at `socketPath`: each call opens its own short connection
 * (wakes are rare, and a restarted daemon is then picked up with no reconnect logic).
 */
export const make = (socketPath: string): CodexThreadsShape => {
  const connect = connectAppServer(socketPath, "helioy-bus")
  const readState = (
    request: (method: string, params: unknown) => Effect.Effect<unknown, CodexUnavailable>,
    threadId: string
  ) =>
    request("thread/read", { threadId }).pipe(
      Effect.flatMap(decoded(ThreadRead, "thread")),
      Effect.map((read) => stateOf(read.thread.status))
    )
  return {
    state: (threadId) =>
      Effect.scoped(Effect.flatMap(connect, (connection) => readState(connection.request, threadId))),
    awaitSettled: (threadId) =>
      Effect.scoped(Effect.gen(function*() {
        const connection = yield* connect
        const notifications = yield* connection.subscribe
        const now = yield* readState(connection.request, threadId)
        if (settled(now)) return now
        const closed = Effect.zipRight(
          connection.closed,
          Effect.fail(new CodexUnavailable({ reason: "the Codex app server went away" }))
        )
        const change = Effect.gen(function*() {
          for (;;) {
            const next = yield* Queue.take(notifications)
            if (next.method !== "thread/status/changed") continue
            const changed = Schema.decodeUnknownOption(StatusChanged)(next.params)
            if (Option.isNone(changed) || changed.value.threadId !== threadId) continue
            const state = stateOf(changed.value.status)
            if (settled(state)) return state
          }
        })
        return yield* Effect.raceFirst(change, closed)
      })),
    startTurn: (threadId, text) =>
      Effect.scoped(Effect.gen(function*() {
        const connection = yield* connect
        const started = yield* connection.request("turn/start", {
          threadId,
          input: [{ type: "text", text, text_elements: [] }]
        })
        return (yield* decoded(TurnStarted, "turn")(started)).turn.id
      }))
  }
}

/** The threads of the Codex daemon whose control socket is `socketPath`. */
export const layer = (socketPath: string) => Layer.succeed(CodexThreads, make(socketPath))
