/**
 * The few facts the dev proxy reads from a JSON-RPC line (MCP stdio framing: one message per line), and the lines it
 * writes.
 */

/** A JSON-RPC message as far as the proxy looks into it. */
export interface RpcMessage {
  readonly id?: unknown
  readonly method?: unknown
  readonly params?: unknown
  readonly result?: unknown
  readonly error?: unknown
}

/** The message on a line; undefined for a line that is not a JSON object (passed on untouched). */
export const parseLine = (line: string): RpcMessage | undefined => {
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as RpcMessage : undefined
  } catch {
    return undefined
  }
}

const isId = (id: unknown): id is string | number => typeof id === "string" || typeof id === "number"

/** The key of a request or response id (a string and a number that print alike stay apart); undefined without one. */
export const idKey = (id: unknown): string | undefined => (isId(id) ? JSON.stringify(id) : undefined)

/** True for a request: a method and an id. */
export const isRequest = (message: RpcMessage): boolean => typeof message.method === "string" && isId(message.id)

/** True for a response: an id, no method. */
export const isResponse = (message: RpcMessage): boolean => message.method === undefined && isId(message.id)

/** The id of the request a `notifications/cancelled` cancels; undefined for any other message. */
export const cancelledId = (message: RpcMessage): unknown =>
  message.method === "notifications/cancelled" && typeof message.params === "object" && message.params !== null
    ? (message.params as { readonly requestId?: unknown }).requestId
    : undefined

/** An error response to the request `id`, with a message a person can act on. */
export const errorLine = (id: unknown, message: string): string =>
  JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message } })

/** A notification line. */
export const notificationLine = (method: string): string => JSON.stringify({ jsonrpc: "2.0", method })

/** The client's initialize request again, under another id (its answer goes to the proxy, not the client). */
export const withId = (message: RpcMessage, id: string): string => JSON.stringify({ ...message, id })

/**
 * The line of an initialize response, advertising `tools.listChanged` (the proxy sends that notification after a
 * restart); any other line is returned unchanged.
 */
export const advertiseToolListChanges = (line: string, message: RpcMessage): string => {
  const result = message.result
  if (typeof result !== "object" || result === null) return line
  const capabilities = (result as { readonly capabilities?: unknown }).capabilities
  if (typeof capabilities !== "object" || capabilities === null) return line
  const tools = (capabilities as { readonly tools?: unknown }).tools
  const toolsObject = typeof tools === "object" && tools !== null ? tools : {}
  return JSON.stringify({
    ...message,
    result: { ...result, capabilities: { ...capabilities, tools: { ...toolsObject, listChanged: true } } }
  })
}
