/**
 * The dev proxy's decisions as a pure function: from its state and one event, the next state and what to do (send a
 * line to the client or the server, start or stop a server, log, exit). The process shell in `devProxy.ts` carries
 * the actions out; everything that decides lives here.
 */
import { Option } from "effect"
import type { ProxyAction, ProxyEvent, ProxyState, ProxyStep } from "./proxyModel.js"
import {
  advertiseToolListChanges,
  cancelledId,
  errorLine,
  idKey,
  isRequest,
  isResponse,
  notificationLine,
  parseLine,
  withId
} from "./rpcMessage.js"

/** What a call in flight gets when the server is restarted under it. */
export const restartedMessage = "helioy-bus dev-proxy: the server restarted while this call was in flight; call again"

/** The state at start and its first action: start server generation 1. */
export const start: ProxyStep = {
  state: {
    phase: "serving",
    generation: 1,
    initialize: Option.none(),
    initialized: false,
    pending: new Map(),
    held: [],
    downReason: ""
  },
  actions: [{ _tag: "Spawn", generation: 1 }]
}

/** The id under which the initialize request is replayed to server `generation`. */
export const replayId = (generation: number): string => `helioy-bus-dev-proxy:initialize:${generation}`

const withoutKey = (pending: ReadonlyMap<string, unknown>, key: string | undefined) => {
  if (key === undefined || !pending.has(key)) return pending
  const next = new Map(pending)
  next.delete(key)
  return next
}

/** A client line while serving: noted (initialize, initialized, requests in flight, cancellations) and sent on. */
const clientWhileServing = (state: ProxyState, line: string): ProxyStep => {
  const message = parseLine(line)
  if (message === undefined) return { state, actions: [{ _tag: "ToServer", line }] }
  let next = state
  const key = idKey(message.id)
  if (isRequest(message) && key !== undefined) {
    next = { ...next, pending: new Map(next.pending).set(key, message.id) }
    if (message.method === "initialize") next = { ...next, initialize: Option.some({ key, message }) }
  } else if (message.method === "notifications/initialized") {
    next = { ...next, initialized: true }
  } else {
    next = { ...next, pending: withoutKey(next.pending, idKey(cancelledId(message))) }
  }
  return { state: next, actions: [{ _tag: "ToServer", line }] }
}

/** A client line while no server runs: a request is answered with why at once, never left unanswered. */
const clientWhileDown = (state: ProxyState, line: string): ProxyStep => {
  const message = parseLine(line)
  if (message !== undefined && isRequest(message)) {
    return { state, actions: [{ _tag: "ToClient", line: errorLine(message.id, state.downReason) }] }
  }
  if (message?.method === "notifications/initialized") return { state: { ...state, initialized: true }, actions: [] }
  return { state, actions: [] }
}

const onClientLine = (state: ProxyState, line: string): ProxyStep => {
  switch (state.phase) {
    case "serving":
      return clientWhileServing(state, line)
    case "stopping":
    case "replaying":
      return { state: { ...state, held: [...state.held, line] }, actions: [] }
    case "down":
      return clientWhileDown(state, line)
    case "closing":
      return { state, actions: [] }
  }
}

/** Runs the held lines through `handle`, in order. */
const release = (state: ProxyState, handle: (state: ProxyState, line: string) => ProxyStep): ProxyStep => {
  let current: ProxyState = { ...state, held: [] }
  const actions: Array<ProxyAction> = []
  for (const line of state.held) {
    const step = handle(current, line)
    current = step.state
    actions.push(...step.actions)
  }
  return { state: current, actions }
}

const then = (first: ProxyStep, second: (state: ProxyState) => ProxyStep): ProxyStep => {
  const next = second(first.state)
  return { state: next.state, actions: [...first.actions, ...next.actions] }
}

/** Every call in flight answered with `message`. */
const failPending = (state: ProxyState, message: string): ProxyStep => ({
  state: { ...state, pending: new Map() },
  actions: [...state.pending.values()].map((id): ProxyAction => ({ _tag: "ToClient", line: errorLine(id, message) }))
})

/**
 * The new server is initialized (or never answered): replay `initialized`, tell the client to refresh, release the held
 * lines.
 */
const finishReplay = (state: ProxyState, note: string): ProxyStep => {
  const actions: Array<ProxyAction> = [{ _tag: "Log", message: note }]
  if (state.initialized) {
    actions.push({ _tag: "ToServer", line: notificationLine("notifications/initialized") })
    actions.push({ _tag: "ToClient", line: notificationLine("notifications/tools/list_changed") })
  }
  return then({ state: { ...state, phase: "serving" }, actions }, (next) => release(next, clientWhileServing))
}

/** Starts the next server; replays the client's initialize to it when there was one. */
const spawnNext = (state: ProxyState): ProxyStep => {
  const generation = state.generation + 1
  const spawn: ProxyAction = { _tag: "Spawn", generation }
  if (Option.isNone(state.initialize)) {
    return then(
      { state: { ...state, generation, phase: "serving" }, actions: [spawn] },
      (next) => release(next, clientWhileServing)
    )
  }
  return {
    state: { ...state, generation, phase: "replaying" },
    actions: [
      spawn,
      { _tag: "ToServer", line: withId(state.initialize.value.message, replayId(generation)) },
      { _tag: "AwaitReplay", generation }
    ]
  }
}

const onServerLine = (state: ProxyState, line: string): ProxyStep => {
  const message = parseLine(line)
  if (
    state.phase === "replaying" && message !== undefined && message.id === replayId(state.generation) &&
    isResponse(message)
  ) {
    return finishReplay(state, "the server restarted and is initialized")
  }
  if (state.phase === "down" || state.phase === "closing") return { state, actions: [] }
  if (message === undefined || !isResponse(message)) return { state, actions: [{ _tag: "ToClient", line }] }
  const key = idKey(message.id)
  const answersInitialize = key !== undefined && Option.isSome(state.initialize) && state.initialize.value.key === key
  return {
    state: { ...state, pending: withoutKey(state.pending, key) },
    actions: [{ _tag: "ToClient", line: answersInitialize ? advertiseToolListChanges(line, message) : line }]
  }
}

const describeExit = (code: number | null, signal: string | null) =>
  signal !== null ? `killed by ${signal}` : `exited with code ${code ?? "unknown"}`

const onServerExited = (state: ProxyState, code: number | null, signal: string | null): ProxyStep => {
  switch (state.phase) {
    case "stopping":
      return then(failPending(state, restartedMessage), spawnNext)
    case "serving":
    case "replaying": {
      const how = describeExit(code, signal)
      const downReason =
        `helioy-bus dev-proxy: the server is not running (it ${how}); rebuild to restart it, then call again`
      const crashed =
        `helioy-bus dev-proxy: the server ${how} while this call was in flight; rebuild to restart it, then call again`
      const down: ProxyStep = {
        state: { ...state, phase: "down", downReason },
        actions: [{ _tag: "Log", message: `the server ${how}; waiting for a rebuild to restart it` }]
      }
      return then(then(down, (next) => failPending(next, crashed)), (next) => release(next, clientWhileDown))
    }
    case "closing":
      return { state, actions: [{ _tag: "Exit" }] }
    case "down":
      return { state, actions: [] }
  }
}

const onRebuilt = (state: ProxyState): ProxyStep => {
  switch (state.phase) {
    case "serving":
    case "replaying":
      return {
        state: { ...state, phase: "stopping" },
        actions: [{ _tag: "Log", message: "the build changed; restarting the server" }, {
          _tag: "Stop",
          generation: state.generation
        }]
      }
    case "down":
      return then({ state, actions: [{ _tag: "Log", message: "the build changed; starting the server" }] }, spawnNext)
    case "stopping":
    case "closing":
      return { state, actions: [] }
  }
}

/** The next state and the actions for one event; events of a server generation that is gone are ignored. */
export const step = (state: ProxyState, event: ProxyEvent): ProxyStep => {
  switch (event._tag) {
    case "ClientLine":
      return onClientLine(state, event.line)
    case "ClientClosed":
      return state.phase === "down" || state.phase === "closing"
        ? { state: { ...state, phase: "closing" }, actions: [{ _tag: "Exit" }] }
        : { state: { ...state, phase: "closing" }, actions: [{ _tag: "Stop", generation: state.generation }] }
    case "ServerLine":
      return event.generation === state.generation ? onServerLine(state, event.line) : { state, actions: [] }
    case "ServerExited":
      return event.generation === state.generation
        ? onServerExited(state, event.code, event.signal)
        : { state, actions: [] }
    case "Rebuilt":
      return onRebuilt(state)
    case "ReplayTimedOut":
      return state.phase === "replaying" && event.generation === state.generation
        ? finishReplay(state, "the restarted server did not answer initialize; resuming anyway")
        : { state, actions: [] }
  }
}
