/** The dev proxy's decisions, event by event, without processes. */
import { describe, expect, it } from "vitest"
import type { ProxyAction, ProxyEvent, ProxyState } from "../../src/devProxy/proxyModel.js"
import { replayId, restartedMessage, start, step } from "../../src/devProxy/proxyState.js"

const line = (message: Record<string, unknown>) => JSON.stringify({ jsonrpc: "2.0", ...message })
const initialize = line({ id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {} } })
const initialized = line({ method: "notifications/initialized" })
const listTools = (id: number) => line({ id, method: "tools/list" })
const client = (text: string): ProxyEvent => ({ _tag: "ClientLine", line: text })
const server = (generation: number, text: string): ProxyEvent => ({ _tag: "ServerLine", generation, line: text })
const exited = (generation: number, code: number | null = 0): ProxyEvent => ({
  _tag: "ServerExited",
  generation,
  code,
  signal: null
})

/** Runs events from the start; returns the final state and every action taken after the start. */
const run = (events: ReadonlyArray<ProxyEvent>, from: ProxyState = start.state) => {
  let state = from
  const actions: Array<ProxyAction> = []
  for (const event of events) {
    const next = step(state, event)
    state = next.state
    actions.push(...next.actions)
  }
  return { state, actions }
}

const toClient = (actions: ReadonlyArray<ProxyAction>) =>
  actions.flatMap((action) => (action._tag === "ToClient" ? [JSON.parse(action.line) as Record<string, unknown>] : []))
const toServer = (actions: ReadonlyArray<ProxyAction>) =>
  actions.flatMap((action) => (action._tag === "ToServer" ? [JSON.parse(action.line) as Record<string, unknown>] : []))

/** A session whose client has initialized against server generation 1. */
const handshake = run([
  client(initialize),
  server(
    1,
    line({ id: 0, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "s" } } })
  ),
  client(initialized)
])

describe("the dev proxy's decisions", () => {
  it("starts server 1 and forwards the handshake, advertising tools.listChanged in the initialize answer", () => {
    expect(start.actions).toEqual([{ _tag: "Spawn", generation: 1 }])
    expect(toServer(handshake.actions).map((message) => message.method)).toEqual([
      "initialize",
      "notifications/initialized"
    ])
    expect(toClient(handshake.actions)).toEqual([
      {
        jsonrpc: "2.0",
        id: 0,
        result: {
          protocolVersion: "2025-06-18",
          capabilities: { tools: { listChanged: true } },
          serverInfo: { name: "s" }
        }
      }
    ])
    expect(handshake.state.pending.size).toBe(0)
  })

  it("on a rebuild: stops the server, fails the call in flight, replays the handshake to the next, then asks the client to refresh", () => {
    const inFlight = run([client(listTools(7))], handshake.state)
    const stopping = run([{ _tag: "Rebuilt" }, client(listTools(8))], inFlight.state)
    expect(stopping.actions.filter((action) => action._tag === "Stop")).toEqual([{ _tag: "Stop", generation: 1 }])
    expect(toServer(stopping.actions)).toEqual([])

    const replaying = run([exited(1, null)], stopping.state)
    expect(toClient(replaying.actions)).toEqual([{
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32000, message: restartedMessage }
    }])
    expect(replaying.actions).toContainEqual({ _tag: "Spawn", generation: 2 })
    expect(toServer(replaying.actions)).toEqual([{ ...JSON.parse(initialize), id: replayId(2) }])

    const serving = run([server(2, line({ id: replayId(2), result: { capabilities: {} } }))], replaying.state)
    expect(toClient(serving.actions)).toEqual([{ jsonrpc: "2.0", method: "notifications/tools/list_changed" }])
    expect(toServer(serving.actions)).toEqual([JSON.parse(initialized), JSON.parse(listTools(8))])
    expect(serving.state.phase).toBe("serving")
  })

  it("ignores the old server's lines and exit once the next one runs", () => {
    const restarted = run([{ _tag: "Rebuilt" }, exited(1)], handshake.state)
    const late = run([server(1, line({ id: 9, result: {} })), exited(1)], restarted.state)
    expect(late.actions).toEqual([])
    expect(late.state).toEqual(restarted.state)
  })

  it("resumes when the restarted server never answers the replayed initialize", () => {
    const replaying = run([{ _tag: "Rebuilt" }, exited(1)], handshake.state)
    expect(run([{ _tag: "ReplayTimedOut", generation: 1 }], replaying.state).actions).toEqual([])
    const resumed = run([{ _tag: "ReplayTimedOut", generation: 2 }], replaying.state)
    expect(resumed.state.phase).toBe("serving")
    expect(toClient(resumed.actions)).toEqual([{ jsonrpc: "2.0", method: "notifications/tools/list_changed" }])
  })

  it("after a crash answers calls with why, and starts a server on the next rebuild", () => {
    const crashed = run([client(listTools(3)), exited(1, 2)], handshake.state)
    expect(toClient(crashed.actions)[0]).toMatchObject({
      id: 3,
      error: { message: expect.stringContaining("exited with code 2 while this call") }
    })
    const asked = run([client(listTools(4))], crashed.state)
    expect(toClient(asked.actions)[0]).toMatchObject({
      id: 4,
      error: { message: expect.stringContaining("the server is not running") }
    })
    const restarted = run([{ _tag: "Rebuilt" }], crashed.state)
    expect(restarted.actions).toContainEqual({ _tag: "Spawn", generation: 2 })
    expect(restarted.state.phase).toBe("replaying")
  })

  it("a cancelled call is not failed at a restart", () => {
    const cancelled = run([
      client(listTools(5)),
      client(line({ method: "notifications/cancelled", params: { requestId: 5 } })),
      { _tag: "Rebuilt" },
      exited(1)
    ], handshake.state)
    expect(toClient(cancelled.actions)).toEqual([])
  })

  it("when the client closes: stops the server, and exits once it has ended", () => {
    const closing = run([{ _tag: "ClientClosed" }], handshake.state)
    expect(closing.actions).toEqual([{ _tag: "Stop", generation: 1 }])
    expect(run([exited(1)], closing.state).actions).toEqual([{ _tag: "Exit" }])
  })
})
