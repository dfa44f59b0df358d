/**
 * A stand-in for the Gemini API (`GOOGLE_GEMINI_BASE_URL`) on 127.0.0.1, so that a real Gemini CLI finishes its turns
 * offline and behaves like an agent on the bus. Every answer is a short text that ends the turn, except: a user text
 * holding `CALL_TOOL <name> <json args>` calls that tool, and, when `readMail` is on, one that says to call
 * get_messages (the bus's nudge and notices) calls the bus's get_messages. A tool's result is recorded when Gemini
 * sends it back. Gemini's utility calls (the model router, `generateContent`) get a small JSON answer.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** One main-model request (a turn step) Gemini CLI made. */
export interface GeminiRequest {
  readonly at: number
  /** The texts of the last user turn (prompt, hook context, function responses as JSON). */
  readonly lastUserText: string
  /** Whether the last user turn answers a function call (a step inside a running turn, not the start of one). */
  readonly toolResponse: boolean
  /** The workspace directory the session context names. */
  readonly cwd: string
  readonly tools: ReadonlyArray<string>
}

/** A function result Gemini CLI sent back. */
export interface GeminiToolResult {
  readonly tool: string
  readonly cwd: string
  readonly text: string
}

/** A running stand-in. */
export interface FakeGemini {
  readonly url: string
  readonly requests: ReadonlyArray<GeminiRequest>
  readonly toolResults: ReadonlyArray<GeminiToolResult>
  /** Whether a turn that says to call get_messages calls it (off: the turn just ends). */
  readonly setReadMail: (on: boolean) => void
  readonly close: () => Promise<void>
}

type Part = {
  readonly text?: string
  readonly functionResponse?: { readonly name?: string; readonly response?: unknown }
}
type Content = { readonly role?: string; readonly parts?: ReadonlyArray<Part> }
type Body = {
  readonly contents?: ReadonlyArray<Content>
  readonly tools?: ReadonlyArray<{ readonly functionDeclarations?: ReadonlyArray<{ readonly name?: string }> }>
}

/** The prefix Gemini CLI gives the bus's tools: `mcp_<server>_<tool>`. */
export const geminiBusTool = (tool: string) => `mcp_helioy-bus_${tool}`

const answer = (parts: ReadonlyArray<Record<string, unknown>>) => ({
  candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  modelVersion: "gemini-fake"
})

const partText = (part: Part): string =>
  part.text ?? (part.functionResponse === undefined ? "" : JSON.stringify(part.functionResponse.response ?? {}))

/** Starts the stand-in on a free loopback port. */
export const startFakeGemini = async (): Promise<FakeGemini> => {
  const requests: Array<GeminiRequest> = []
  const toolResults: Array<GeminiToolResult> = []
  let readMail = true
  const server = http.createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      const url = request.url ?? ""
      let body: Body = {}
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body
      } catch {
        // answered below like any other request
      }
      if (!url.includes(":streamGenerateContent")) {
        response.writeHead(url.includes(":countTokens") || url.includes(":generateContent") ? 200 : 404, {
          "content-type": "application/json"
        })
        response.end(JSON.stringify(
          url.includes(":countTokens")
            ? { totalTokens: 1 }
            : answer([{ text: JSON.stringify({ reasoning: "stand-in", model_choice: "flash" }) }])
        ))
        return
      }
      const contents = body.contents ?? []
      const last = [...contents].reverse().find((content) => content.role === "user")
      const parts = last?.parts ?? []
      const lastUserText = parts.map(partText).join("\n")
      const cwd = /Workspace Directories:\*\*\n\s*- (\S+)/.exec(
        contents.flatMap((content) => content.parts ?? []).map(partText).join("\n")
      )?.[1] ?? ""
      const tools = (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((fn) => fn.name ?? "")
      const toolResponse = parts.some((part) => part.functionResponse !== undefined)
      requests.push({ at: Date.now(), lastUserText, toolResponse, cwd, tools })
      for (const part of parts) {
        if (part.functionResponse !== undefined) {
          toolResults.push({ tool: part.functionResponse.name ?? "", cwd, text: partText(part) })
        }
      }
      const asked = toolResponse ? undefined : /CALL_TOOL (\S+)(?: (\{.*\}))?/.exec(lastUserText)
      const call = asked !== null && asked !== undefined
        ? { name: asked[1]!, args: JSON.parse(asked[2] ?? "{}") as unknown }
        : !toolResponse && readMail && /call get_messages/i.test(lastUserText)
        ? { name: geminiBusTool("get_messages"), args: {} }
        : undefined
      const reply = call !== undefined && tools.includes(call.name)
        ? answer([{ functionCall: { name: call.name, args: call.args } }])
        : answer([{ text: "ok" }])
      response.writeHead(200, { "content-type": "text/event-stream" })
      response.end(`data: ${JSON.stringify(reply)}\r\n\r\n`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults,
    setReadMail: (on) => {
      readMail = on
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
