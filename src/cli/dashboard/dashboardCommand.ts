/** `helioy-bus dashboard`: the live page on 127.0.0.1, behind a random token, until interrupted. */
import { HttpServer } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Console, Effect, Layer, Option } from "effect"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { BusLive } from "../../layers/AppLive.js"
import { followEvents } from "../busEvents.js"
import { dashboardRoutes } from "./routes.js"

/** The port tried first when none is asked for; a free one is taken when it is busy. */
const preferredPort = 4780

const listenOn = (port: number) => Layer.build(NodeHttpServer.layer(() => createServer(), { port, host: "127.0.0.1" }))

/** Opens `url` in the desktop's browser when there is a desktop; never fails, never runs a shell. */
const openBrowser = (url: string) =>
  Effect.sync(() => {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return
    try {
      const child = spawn("xdg-open", [url], { stdio: "ignore", detached: true })
      child.on("error", () => undefined)
      child.unref()
    } catch {
      return
    }
  })

/**
 * Serves the dashboard until interrupted: on `port` (which must be free), else on 4780 or, when that is busy, a free
 * port; prints the URL with its token and opens it unless `noOpen`. Fails when the port asked for is busy or the bus
 * cannot be opened.
 */
export const runDashboard = (options: { readonly port: Option.Option<number>; readonly noOpen: boolean }) =>
  Effect.gen(function*() {
    const token = randomBytes(24).toString("hex")
    const events = yield* followEvents
    const asked = options.port
    const server = Option.isSome(asked)
      ? yield* Effect.mapError(
        listenOn(asked.value),
        () =>
          new Error(
            `port ${asked.value} on 127.0.0.1 is in use: pick another with --port, or leave it out to take a free one`
          )
      )
      : yield* Effect.orElse(listenOn(preferredPort), () => listenOn(0))
    yield* HttpServer.serveEffect()(dashboardRoutes(token, events)).pipe(Effect.provide(server))
    const address = yield* Effect.provide(HttpServer.HttpServer, server)
    const port = address.address._tag === "TcpAddress" ? address.address.port : preferredPort
    const url = `http://127.0.0.1:${port}/?token=${token}`
    yield* Console.log(url)
    if (!options.noOpen) yield* openBrowser(url)
    return yield* Effect.never
  }).pipe(
    Effect.scoped,
    Effect.provide(BusLive),
    Effect.catchAll((error) =>
      Effect.zipRight(
        Console.error(`error: ${error instanceof Error ? error.message : String(error)}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )
