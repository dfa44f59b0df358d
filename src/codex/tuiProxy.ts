/**
 * The launch wrapper's relay between its Codex TUI and the shared Codex daemon. The TUI connects to it with
 * `--remote unix://<socket>`; every frame is passed on unchanged, both ways. On the way it learns, exactly, which
 * thread this TUI started or resumed: the one fact the daemon never tells its hooks and MCP servers.
 */
import { Effect, type Scope } from "effect"
import * as fs from "node:fs"
import * as http from "node:http"
import WebSocket, { WebSocketServer } from "ws"
import { CodexUnavailable } from "../errors/codex.js"

/** Requests whose answer names the thread the TUI now shows. */
const threadRequests: ReadonlySet<string> = new Set(["thread/start", "thread/resume", "thread/fork"])

interface Frame {
  readonly id?: unknown
  readonly method?: unknown
  readonly result?: { readonly thread?: { readonly id?: unknown; readonly ephemeral?: unknown } }
}

const parse = (text: string): Frame | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null ? value as Frame : undefined
  } catch {
    return undefined
  }
}

/** Relays one TUI connection to the daemon; reports the thread of each thread request's answer. */
const relay = (tui: WebSocket, upstreamUrl: string, onThread: (threadId: string) => void) => {
  const upstream = new WebSocket(upstreamUrl)
  const early: Array<{ readonly data: WebSocket.RawData; readonly binary: boolean }> = []
  const awaited = new Set<unknown>()
  tui.on("message", (data, binary) => {
    if (!binary) {
      const text = data.toString()
      if (text.includes("\"thread/")) {
        const frame = parse(text)
        if (frame !== undefined && typeof frame.method === "string" && threadRequests.has(frame.method)) {
          awaited.add(frame.id)
        }
      }
    }
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary })
    else early.push({ data, binary })
  })
  upstream.on("open", () => {
    for (const { binary, data } of early.splice(0)) upstream.send(data, { binary })
  })
  upstream.on("message", (data, binary) => {
    if (!binary && awaited.size > 0) {
      const frame = parse(data.toString())
      if (frame !== undefined && awaited.has(frame.id)) {
        awaited.delete(frame.id)
        // The TUI also starts ephemeral helper threads (a title for the session): those are never the session.
        const thread = frame.result?.thread
        if (typeof thread?.id === "string" && thread.id !== "" && thread.ephemeral !== true) onThread(thread.id)
      }
    }
    if (tui.readyState === WebSocket.OPEN) tui.send(data, { binary })
  })
  const closeBoth = () => {
    if (tui.readyState === WebSocket.OPEN || tui.readyState === WebSocket.CONNECTING) tui.close()
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.close()
  }
  upstream.on("close", closeBoth)
  upstream.on("error", closeBoth)
  tui.on("close", closeBoth)
  tui.on("error", closeBoth)
}

/**
 * Listens on the unix socket `listenPath` (put it in a private 0700 directory; it is removed with the scope) and relays
 * each TUI connection to the
 * daemon's control socket `upstreamSocket`, calling `onThread` with every thread the TUI starts, resumes or forks.
 * Fails with CodexUnavailable when it cannot listen or the daemon's socket cannot be resolved.
 */
export const serveTuiProxy = (
  listenPath: string,
  upstreamSocket: string,
  onThread: (threadId: string) => void
): Effect.Effect<void, CodexUnavailable, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<http.Server, CodexUnavailable>((resume) => {
      let upstreamPath: string
      try {
        upstreamPath = fs.realpathSync(upstreamSocket)
      } catch (error) {
        return resume(
          Effect.fail(
            new CodexUnavailable({
              reason: `no Codex daemon socket at ${upstreamSocket} (${(error as Error).message})`,
              cause: error
            })
          )
        )
      }
      const sockets = new WebSocketServer({ noServer: true })
      const server = http.createServer((_request, response) => {
        response.writeHead(426)
        response.end()
      })
      server.on("upgrade", (request, socket, head) => {
        sockets.handleUpgrade(request, socket, head, (tui) =>
          relay(tui, `ws+unix://${upstreamPath}:${request.url ?? "/rpc"}`, onThread))
      })
      server.once("error", (error) =>
        resume(
          Effect.fail(
            new CodexUnavailable({ reason: `cannot listen on ${listenPath}: ${error.message}`, cause: error })
          )
        ))
      server.listen(listenPath, () =>
        resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() =>
          resume(Effect.void)
        )
        fs.rmSync(listenPath, { force: true })
      })
  ).pipe(Effect.asVoid)
