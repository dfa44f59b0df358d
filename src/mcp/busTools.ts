import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { Effect } from "effect"
import { z } from "zod"
import type { BusServices } from "../layers/AppLive.js"
import * as bus from "../programs/bus.js"
import type { Taken } from "../services/Mailbox.js"
import { inCall } from "./callSession.js"
import type { Responses } from "./stdioServer.js"

/** Runs a bus program and turns its Exit into a tool result; never rejects. */
export type ToolRunner = <A, E>(program: Effect.Effect<A, E, BusServices>) => Promise<CallToolResult>

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
const writes = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false }
const idempotentWrite = { ...writes, idempotentHint: true }

const agentIdArg = (what: string) => z.string().optional().describe(`${what}; defaults to the caller's own id`)

/** Registers the bus tools on an MCP server. */
export const registerBusTools = (server: McpServer, run: ToolRunner, responses: Responses): void => {
  server.registerTool("whoami", {
    title: "Who am I",
    description:
      "Your own registration on the bus: agent_id, agent_type, runtime, tmux_target, cwd, session_id, registered_at, token_usage.",
    annotations: readOnly
  }, (extra) => run(inCall(extra, bus.whoami())))

  server.registerTool("register_agent", {
    title: "Register an agent",
    description:
      "Register on the bus so others can find and message you. The id defaults to '<repo>:<agent_type>[:<tmux_target>]'. Returns agent_id and registered_at.",
    inputSchema: {
      pwd: z.string().describe("your working directory"),
      tmux_target: z.string().optional().describe("your tmux address session:window.pane, if any"),
      agent_id: z.string().optional().describe("an explicit id; letters, digits and - _ . : % @"),
      session_id: z.string().optional().describe("your runtime's session id"),
      agent_type: z.string().optional().describe("your role, e.g. backend-engineer (default general)"),
      runtime: z.string().optional().describe("claude, codex, ... (default $HELIOY_RUNTIME or claude)"),
      pane_id: z.string().optional().describe("your stable tmux pane id %N"),
      profile: z.object({}).passthrough().nullable().optional().describe("owns, consumes, capabilities, domain, skills")
    },
    annotations: idempotentWrite
  }, (args, extra) => run(inCall(extra, bus.registerAgent(args))))

  server.registerTool("unregister_agent", {
    title: "Unregister an agent",
    description: "Remove an agent from the registry (its inbox is kept). Returns unregistered.",
    inputSchema: { agent_id: agentIdArg("the agent to remove") },
    annotations: { ...idempotentWrite, destructiveHint: true }
  }, (args, extra) => run(inCall(extra, bus.unregisterAgent(args.agent_id))))

  server.registerTool("list_agents", {
    title: "List agents",
    description:
      "The agents on the bus that are still alive (agents whose tmux pane or process is gone are dropped). Filter by tmux session or session:window, or by the basename of their cwd.",
    inputSchema: {
      tmux_filter: z.string().optional().describe("'session' or 'session:window'"),
      cwd_basename: z.string().optional().describe("keep agents whose cwd ends in this directory name")
    },
    annotations: readOnly
  }, (args, extra) => run(inCall(extra, bus.listAgents(args))))

  server.registerTool("heartbeat", {
    title: "Heartbeat",
    description: "Record that an agent is alive (sets last_seen). Returns agent_id and last_seen.",
    inputSchema: { agent_id: agentIdArg("the agent") },
    annotations: idempotentWrite
  }, (args, extra) => run(inCall(extra, bus.heartbeat(args.agent_id))))

  server.registerTool("send_message", {
    title: "Send a message",
    description:
      "Send a message. 'to' is an agent id, 'role:<agent_type>' (every agent of that type but you), '*' (everyone but you), or several of these separated by ';'. The message lands atomically in each inbox; idle recipients are woken. Returns message_id, thread_id, delivered, nudged, recipients, wakes (and failed, for parts that could not be delivered). Follow it with message_status.",
    inputSchema: {
      to: z.string().describe("agent id, role:<type>, *, or a ';'-separated list"),
      content: z.string().describe("the message"),
      from_agent: z.string().optional().describe("sender id; defaults to your own"),
      reply_to: z.string().optional().describe("where replies should go; defaults to the sender"),
      topic: z.string().optional().describe("a topic readers can filter on"),
      nudge: z.boolean().optional().describe("wake idle recipients (default true)"),
      in_reply_to: z.string().optional().describe("the message_id this answers; the reply joins its thread"),
      thread_id: z.string().optional().describe("the thread to post in (default: in_reply_to's, else a new one)"),
      priority: z.enum(["normal", "urgent"]).optional().describe(
        "urgent is read and named first and may wake inside the throttle (default normal)"
      ),
      ack_required: z.boolean().optional().describe("ask each recipient to acknowledge_message (default false)"),
      ack_notify: z.boolean().optional().describe("get an 'ack' message for each acknowledgement (default true)")
    },
    annotations: writes
  }, (args, extra) => run(inCall(extra, bus.sendMessage(args))))

  server.registerTool("message_status", {
    title: "Message status",
    description:
      "What happened to a message you sent or received: for each recipient its state (unread, read, acknowledged, quarantined, expired), how and when it was woken, when it was read and acknowledged (with the note). A sender sees every recipient, a recipient its own copy.",
    inputSchema: { message_id: z.string().describe("the message_id send_message or get_messages gave") },
    annotations: readOnly
  }, (args, extra) => run(inCall(extra, bus.messageStatus(args))))

  server.registerTool("acknowledge_message", {
    title: "Acknowledge a message",
    description:
      "Acknowledge a message you received (do this for messages with ack_required once you acted on them). The sender gets an 'ack' message from you, unless it opted out. Acknowledging twice changes nothing.",
    inputSchema: {
      message_id: z.string().describe("the message_id of a message you received"),
      note: z.string().optional().describe("a short note for the sender (what you did)")
    },
    annotations: idempotentWrite
  }, (args, extra) => run(inCall(extra, bus.acknowledgeMessage(args))))

  server.registerTool("get_thread", {
    title: "Get a thread",
    description:
      "The messages of a thread you took part in, read and unread, oldest first; reads nothing as claimed. Each message has message_id, in_reply_to, from, to, topic, priority, sent_at, content.",
    inputSchema: {
      thread_id: z.string().describe("the thread_id send_message, get_messages or search_messages showed"),
      limit: z.number().int().optional().describe("the most messages to return, 1 to 1000 (default 100)")
    },
    annotations: readOnly
  }, (args, extra) => run(inCall(extra, bus.getThread(args))))

  server.registerTool("search_messages", {
    title: "Search messages",
    description:
      "Full-text search over your own messages, sent and received, read and unread: every word must appear in the content or the topic. Best matches first, each with its state.",
    inputSchema: {
      query: z.string().describe("the words to look for"),
      limit: z.number().int().optional().describe("the most results, 1 to 100 (default 20)")
    },
    annotations: readOnly
  }, (args, extra) => run(inCall(extra, bus.searchMessages(args))))

  server.registerTool("get_messages", {
    title: "Get messages",
    description:
      "Read and claim your unread messages, urgent ones first, then oldest first (each message is returned to exactly one reader). With 'topic', only messages of that topic are read; the others stay unread. At most 'limit' messages (default 100) and about 2 MiB come back at once; 'remaining' says how many are still unread: call again to read them.",
    inputSchema: {
      agent_id: agentIdArg("whose inbox to read"),
      topic: z.string().optional().describe("only read messages with this topic"),
      limit: z.number().int().optional().describe("the most messages to return, 1 to 1000 (default 100)")
    },
    annotations: writes
  }, (args, extra) => {
    // The messages are archived only once the response is out of the process: a reader killed before that has them
    // re-delivered (same ids) instead of lost.
    let taken: Taken | undefined
    return run(Effect.map(inCall(extra, bus.takeMessages(args)), (claimed) => {
      taken = claimed
      return {
        result: claimed.messages,
        remaining: claimed.remaining,
        ...(claimed.quarantined.length > 0 ? { quarantined: claimed.quarantined } : {})
      }
    })).then((result) => {
      const held = taken
      if (held !== undefined) {
        responses.afterResponse(
          extra.requestId,
          extra.signal,
          (written) => Effect.runSync(held.settle(written && result.isError !== true))
        )
      }
      return result
    })
  })
}
