/** What the person's commands print as text: agent tables, messages, statuses, feed lines. */
import type { Message } from "../domain/Message.js"
import type { AgentOverview } from "../programs/human/overview.js"
import type { RecipientStatus } from "../programs/messageStatus.js"

/** Text from the bus made safe for a terminal: control characters (escape sequences) shown as `\xNN`, lines kept. */
const terminalSafe = (text: string) =>
  text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`
  )

const pad = (rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n")
}

/** The agents as a table: id, type, runtime, host, pane, last heartbeat, unread, waiter. */
export const agentsTable = (agents: ReadonlyArray<AgentOverview>): string =>
  agents.length === 0 ? "no agents on the bus" : pad([
    ["AGENT", "TYPE", "RUNTIME", "HOST", "PANE", "LAST SEEN", "UNREAD", "WAITER"],
    ...agents.map((agent) => [
      terminalSafe(agent.agent_id),
      agent.agent_type,
      agent.runtime,
      agent.host,
      agent.pane_id === "" ? (agent.tmux_target || "-") : `${agent.pane_id} ${agent.tmux_target}`,
      agent.last_seen.slice(0, 19).replace("T", " "),
      String(agent.unread),
      agent.waiter ? "armed" : "-"
    ])
  ])

/** Messages one after another: a header line (time, sender, topic, priority, id), then the content as is. */
export const messageBlocks = (messages: ReadonlyArray<Message>): string =>
  messages.length === 0 ? "no unread messages" : messages.map((message) =>
    [
      `${message.sent_at.slice(0, 19).replace("T", " ")}  ${message.from} → ${message.to}${
        message.topic === null ? "" : `  [${message.topic}]`
      }${message.priority === "urgent" ? "  URGENT" : ""}  ${message.id}`.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?"),
      terminalSafe(message.content)
    ].join("\n")
  ).join("\n\n")

/** A status: the message, then a line per recipient with its state, wake, and times. */
export const statusLines = (status: {
  readonly message_id: string
  readonly from: string
  readonly sent_at: string
  readonly recipients: ReadonlyArray<RecipientStatus>
}): string =>
  [
    `${status.message_id} from ${status.from} at ${status.sent_at}`,
    ...status.recipients.map((recipient) =>
      `  ${recipient.agent_id}: ${recipient.state}  wake ${recipient.wake}${
        recipient.woken_at === undefined ? "" : ` at ${recipient.woken_at}`
      }${recipient.read_at === undefined ? "" : `  read ${recipient.read_at}`}${
        recipient.acknowledged_at === undefined ? "" : `  acknowledged ${recipient.acknowledged_at}`
      }${recipient.note === undefined ? "" : `  "${recipient.note}"`}`
    )
  ].map(terminalSafe).join("\n")

/** One feed event as a line. */
export const feedLine = (event: {
  readonly event: string
  readonly agent_id: string
  readonly message_id: string
  readonly from?: string
  readonly topic?: string | null
  readonly method?: string
  readonly confirmed?: boolean
}): string => {
  switch (event.event) {
    case "delivered":
      return `delivered ${event.from} → ${event.agent_id}${event.topic ? ` [${event.topic}]` : ""}  ${event.message_id}`
    case "read":
      return `read      ${event.agent_id}  ${event.message_id}`
    default:
      return `woken     ${event.agent_id} by ${event.method}${
        event.confirmed ? " (confirmed)" : ""
      }  ${event.message_id}`
  }
}

/** A feed event's line, safe for a terminal. */
export const safeFeedLine = (event: Parameters<typeof feedLine>[0]): string => terminalSafe(feedLine(event))
