/**
 * A stand-in for Codex's app server daemon on a unix socket (WebSocket, one JSON-RPC message per text frame, no
 * `"jsonrpc"` field), for tests of the launch wrapper's relay and of CodexThreadsLive. It knows threads and their
 * status, answers thread/start, thread/read and turn/start, and tells every connection when a status changes.
 */
import * as http from "node:http"
import WebSocket, { WebSocketServer } from "ws"

/** A running fake daemon. */
export interface FakeAppServer {
  /** Every frame a client sent, parsed, in order. */
  readonly received: Array<Record<string, unknown>>
  /** The status of each thread (`idle`, `active`, ...). */
  readonly threads: Map<string, string>
  /** Sets a thread's status and tells every connection (`thread/status/changed`). */
  readonly setStatus: (threadId: string, status: string) => void
  /** The id the next thread/start answers with, and whether that thread is ephemeral. */
  next: { id: string; ephemeral: boolean }
  readonly close: () => Promise<void>
}

/** Starts a fake daemon listening on `socketPath`. */
export const startFakeAppServer = async (socketPath: string): Promise<FakeAppServer> => {
  const clients = new Set<WebSocket>()
  const fake: FakeAppServer = {
    received: [],
    threads: new Map(),
    next: { id: "thread-1", ephemeral: false },
    setStatus: (threadId, status) => {
      fake.threads.set(threadId, status)
      const frame = JSON.stringify({
        method: "thread/status/changed",
        params: { threadId, status: { type: status, ...(status === "active" ? { activeFlags: [] } : {}) } }
      })
      for (const client of clients) client.send(frame)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.terminate()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  const sockets = new WebSocketServer({ noServer: true })
  const server = http.createServer()
  server.on("upgrade", (request, socket, head) =>
    sockets.handleUpgrade(request, socket, head, (client) => {
      clients.add(client)
      client.on("close", () => clients.delete(client))
      client.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as { id?: unknown; method?: string; params?: Record<string, unknown> }
        fake.received.push(frame)
        const answer = (result: unknown) => client.send(JSON.stringify({ id: frame.id, result }))
        const params = frame.params ?? {}
        switch (frame.method) {
          case "initialize":
            return answer({ userAgent: "fake", codexHome: "/fake" })
          case "thread/start": {
            const { ephemeral, id } = fake.next
            fake.threads.set(id, "idle")
            return answer({ thread: { id, ephemeral, status: { type: "idle" } } })
          }
          case "thread/read": {
            const status = fake.threads.get(String(params.threadId)) ?? "notLoaded"
            return answer({
              thread: {
                id: params.threadId,
                status: { type: status, ...(status === "active" ? { activeFlags: [] } : {}) }
              }
            })
          }
          case "turn/start": {
            if (!fake.threads.has(String(params.threadId))) {
              return client.send(
                JSON.stringify({
                  id: frame.id,
                  error: { code: -32600, message: `thread not found: ${String(params.threadId)}` }
                })
              )
            }
            answer({ turn: { id: `turn-${fake.received.length}`, status: "inProgress" } })
            return fake.setStatus(String(params.threadId), "active")
          }
          default:
            if (frame.id !== undefined) answer({})
        }
      })
    }))
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return fake
}
