/** The dashboard's HTTP routes: the page, its JSON API and its server-sent events, all behind the URL's token. */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Duration, Effect, Option, PubSub, Schedule, Schema, Stream } from "effect"
import { messageStatus, sendMessage } from "../../programs/bus.js"
import { ensureHuman } from "../../programs/human/humanAgent.js"
import { agentsOverview } from "../../programs/human/overview.js"
import { messageView } from "../../programs/threads.js"
import * as Warroom from "../../programs/warroom/index.js"
import type { BusConfig } from "../../services/BusConfig.js"
import type { Mailbox } from "../../services/Mailbox.js"
import { MessageLog } from "../../services/MessageLog.js"
import type { Processes } from "../../services/Processes.js"
import type { Registry } from "../../services/Registry.js"
import type { Tmux } from "../../services/Tmux.js"
import type { Warrooms } from "../../services/Warrooms.js"
import type { BusEvent } from "../busEvents.js"
import { dashboardPage } from "./page.js"

const SendBody = Schema.Struct({
  to: Schema.String,
  content: Schema.String,
  topic: Schema.optionalWith(Schema.String, { default: () => "" }),
  urgent: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** What the event stream reads the bus with. */
type EventServices = BusConfig | Mailbox | MessageLog | Processes | Registry | Tmux | Warrooms

/** One event as the page takes it. */
type PageEvent = Record<string, unknown>

const errorText = (error: unknown) => error instanceof Error ? error.message : String(error)

/** A JSON reply; a failure becomes `{ error }` with status 400, so the page can show it. */
const replyJson = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.map((value) => HttpServerResponse.unsafeJson(value)),
    Effect.catchAll((error) =>
      Effect.succeed(HttpServerResponse.unsafeJson({ error: errorText(error) }, { status: 400 }))
    )
  )

/** The agents, each with the warroom its pane belongs to (the page groups by it, else by tmux session), and the warrooms. */
const overview = Effect.gen(function*() {
  const agents = yield* agentsOverview("")
  const warrooms = yield* Effect.orElseSucceed(Warroom.status(), () => [])
  const roomOfPane = new Map(
    warrooms.flatMap((room) => room.members.map((member) => [member.pane_id, room.warroom_id] as const))
  )
  return {
    agents: agents.map((agent) => ({ ...agent, warroom: roomOfPane.get(agent.pane_id) ?? null })),
    warrooms
  }
})

const encoder = new TextEncoder()
const sse = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`)

/** The logged message a delivery was of, waiting briefly for the sender's log entry (it follows the files). */
const loggedSoon = (messageId: string) =>
  Effect.flatMap(MessageLog, (log) =>
    log.find(messageId).pipe(
      Effect.flatMap(Option.match({ onNone: () => Effect.fail("not yet" as const), onSome: Effect.succeed })),
      Effect.retry(Schedule.intersect(Schedule.spaced(Duration.millis(20)), Schedule.recurs(50))),
      Effect.option
    ))

/**
 * The page's events: each new message (once per id), each read and wake, and the agents every 2 s; as
 * server-sent events.
 */
const eventStream = (events: PubSub.PubSub<BusEvent>) =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const subscription = yield* PubSub.subscribe(events)
    const sent = new Set<string>()
    const busEvents = Stream.fromQueue(subscription).pipe(
      Stream.mapEffect((event) =>
        Effect.gen(function*() {
          if (event.event === "read") return Option.some<PageEvent>({ kind: "read", message_id: event.message_id })
          if (event.event === "wake") {
            return Option.some<PageEvent>({ kind: "wake", message_id: event.message_id, method: event.method })
          }
          if (sent.has(event.message_id)) return Option.none<PageEvent>()
          sent.add(event.message_id)
          const logged = yield* loggedSoon(event.message_id)
          return Option.map(logged, (message): PageEvent => ({ kind: "message", message: messageView(message) }))
        }).pipe(Effect.orElseSucceed(() => Option.none<PageEvent>()))
      ),
      Stream.filterMap((value) => value)
    )
    const agents = Stream.repeatEffectWithSchedule(
      Effect.map(Effect.either(overview), (found) =>
        found._tag === "Right" ? { kind: "agents", ...found.right } : { kind: "agents", agents: [], warrooms: [] }),
      Schedule.spaced(Duration.seconds(2))
    )
    return Stream.merge(busEvents, agents).pipe(
      Stream.map(sse),
      Stream.merge(
        Stream.repeatEffectWithSchedule(
          Effect.succeed(encoder.encode(": keep-alive\n\n")),
          Schedule.spaced(Duration.seconds(15))
        )
      )
    )
  }))

/** The routes of one dashboard: `token` guards every request (403 without it); `events` feeds the live updates. */
export const dashboardRoutes = (token: string, events: PubSub.PubSub<BusEvent>) => {
  const router = HttpRouter.empty.pipe(
    HttpRouter.get("/", Effect.succeed(HttpServerResponse.html(dashboardPage))),
    HttpRouter.get("/api/agents", replyJson(overview)),
    HttpRouter.get(
      "/api/messages",
      replyJson(
        Effect.map(
          Effect.flatMap(MessageLog, (log) => log.recent(100)),
          (recent) => ({ messages: recent.map(messageView) })
        )
      )
    ),
    HttpRouter.get(
      "/api/status/:id",
      replyJson(Effect.gen(function*() {
        const { id } = yield* HttpRouter.params
        const log = yield* MessageLog
        const logged = yield* log.find(id ?? "")
        if (Option.isNone(logged)) return yield* Effect.fail(new Error(`no message '${id}' in the log`))
        return yield* messageStatus({ message_id: logged.value.message_id, agent_id: logged.value.from })
      }))
    ),
    HttpRouter.post(
      "/api/send",
      replyJson(Effect.gen(function*() {
        const body = yield* HttpServerRequest.schemaBodyJson(SendBody)
        const sender = yield* ensureHuman("", process.cwd())
        return yield* sendMessage({
          to: body.to,
          content: body.content,
          topic: body.topic,
          from_agent: sender,
          priority: body.urgent ? "urgent" : "normal"
        })
      }))
    ),
    HttpRouter.get(
      "/api/events",
      Effect.map(
        Effect.context<EventServices>(),
        (services) =>
          HttpServerResponse.stream(Stream.provideContext(eventStream(events), services), {
            contentType: "text/event-stream",
            headers: { "cache-control": "no-store", "x-accel-buffering": "no" }
          })
      )
    )
  )
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://127.0.0.1")
    if (url.searchParams.get("token") !== token) {
      return HttpServerResponse.text("forbidden: open the URL the dashboard printed (it carries the token)", {
        status: 403
      })
    }
    return yield* router
  })
}
