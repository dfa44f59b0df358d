/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1, so that a real Claude Code can finish its turns offline
 * and behave like an agent on the bus. Every answer is a short text that ends the turn, except: a user text holding
 * `CALL_TOOL <name> [<json input>]` calls that tool, and one that says to call get_messages (the bus's wake and notices) calls the
 * bus's get_messages. A tool's result is recorded when Claude sends it back.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** One model request Claude Code made. */
export interface ModelRequest {
  readonly at: number
  /** The texts of the last user message (hook feedback, prompts, tool results as text). */
  readonly lastUserText: string
  /** The working directory the system prompt names. */
  readonly cwd: string
  /** The names of the tools the request offers. */
  readonly tools: ReadonlyArray<string>
}

/** A tool result Claude Code sent back. */
export interface ToolResult {
  readonly tool: string
  readonly cwd: string
  readonly text: string
}

/** A running fake API. */
export interface FakeAnthropic {
  readonly url: string
  readonly requests: ReadonlyArray<ModelRequest>
  readonly toolResults: ReadonlyArray<ToolResult>
  readonly close: () => Promise<void>
}

type Block = {
  readonly type?: string
  readonly text?: string
  readonly content?: unknown
  readonly tool_use_id?: string
}
type Turn = { readonly role?: string; readonly content?: string | ReadonlyArray<Block> }

const textOf = (content: unknown): string => {
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return ""
  return (content as ReadonlyArray<Block>).map((block) => block.text ?? textOf(block.content)).join("\n")
}

const sse = (events: ReadonlyArray<Record<string, unknown>>) =>
  events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join("")

const message = (id: string, content: ReadonlyArray<Record<string, unknown>>, stopReason: string) => ({
  id,
  type: "message",
  role: "assistant",
  model: "claude-fake",
  content,
  stop_reason: stopReason,
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 }
})

const streamed = (id: string, block: Record<string, unknown>, delta: Record<string, unknown>, stopReason: string) =>
  sse([
    { type: "message_start", message: { ...message(id, [], stopReason), stop_reason: null } },
    { type: "content_block_start", index: 0, content_block: block },
    { type: "content_block_delta", index: 0, delta },
    { type: "content_block_stop", index: 0 },
    { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 1 } },
    { type: "message_stop" }
  ])

/** Starts the fake API on a free loopback port. */
export const startFakeAnthropic = async (): Promise<FakeAnthropic> => {
  const requests: Array<ModelRequest> = []
  const toolResults: Array<ToolResult> = []
  const pendingTools = new Map<string, string>()
  let counter = 0
  const server = http.createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      if (!(request.url ?? "").startsWith("/v1/messages") || (request.url ?? "").includes("count_tokens")) {
        response.writeHead(request.url?.includes("count_tokens") ? 200 : 404, { "content-type": "application/json" })
        response.end(
          JSON.stringify(request.url?.includes("count_tokens") ? { input_tokens: 1 } : { error: "not here" })
        )
        return
      }
      let body: {
        messages?: ReadonlyArray<Turn>
        system?: unknown
        stream?: boolean
        tools?: ReadonlyArray<{ readonly name?: string }>
      } = {}
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"))
      } catch {
        // answer with a plain text below
      }
      const turns = body.messages ?? []
      const last = [...turns].reverse().find((turn) => turn.role === "user")
      const lastUserText = textOf(last?.content)
      const cwd = /working directory: (\S+)/i.exec(
        textOf(body.system) + "\n" + turns.map((turn) => textOf(turn.content)).join("\n")
      )?.[1] ?? ""
      requests.push({
        at: Date.now(),
        lastUserText,
        cwd,
        tools: (body.tools ?? []).map((tool) => tool.name ?? "")
      })
      const blocks = Array.isArray(last?.content) ? last.content as ReadonlyArray<Block> : []
      for (const block of blocks) {
        if (block.type === "tool_result" && block.tool_use_id !== undefined && pendingTools.has(block.tool_use_id)) {
          toolResults.push({ tool: pendingTools.get(block.tool_use_id)!, cwd, text: textOf(block.content) })
          pendingTools.delete(block.tool_use_id)
        }
      }
      const id = `msg_${++counter}`
      const asked = blocks.some((block) => block.type === "tool_result")
        ? undefined
        : /CALL_TOOL (\S+)/.exec(lastUserText)?.[1] ??
          (/call get_messages/i.test(lastUserText) ? "mcp__helioy-bus__get_messages" : undefined)
      const call = (body.tools ?? []).some((tool) => tool.name === asked) ? asked : undefined
      const input = /CALL_TOOL \S+ (\{.*\})/.exec(lastUserText)?.[1] ?? "{}"
      if (call !== undefined) {
        const toolId = `toolu_${counter}`
        pendingTools.set(toolId, call)
        if (body.stream === true) {
          response.writeHead(200, { "content-type": "text/event-stream" })
          response.end(
            streamed(id, { type: "tool_use", id: toolId, name: call, input: {} }, {
              type: "input_json_delta",
              partial_json: input
            }, "tool_use")
          )
        } else {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(
            JSON.stringify(
              message(id, [{ type: "tool_use", id: toolId, name: call, input: JSON.parse(input) }], "tool_use")
            )
          )
        }
        return
      }
      if (body.stream === true) {
        response.writeHead(200, { "content-type": "text/event-stream" })
        response.end(streamed(id, { type: "text", text: "" }, { type: "text_delta", text: "ok" }, "end_turn"))
      } else {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify(message(id, [{ type: "text", text: "ok" }], "end_turn")))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
