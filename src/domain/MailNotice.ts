import type { Priority } from "./Message.js"

/** What a notice says of one unread message. */
export interface NoticeMail {
  readonly from: string
  readonly priority: Priority
}

/** The senders, each once, those of urgent mail first, each group in order; and how many messages are urgent. */
const senders = (mail: ReadonlyArray<NoticeMail>) => {
  const urgent = mail.filter((message) => message.priority === "urgent")
  return {
    names: [...new Set([...urgent, ...mail].map((message) => message.from))].join(", "),
    urgent: urgent.length === 0
      ? ""
      : ` (${urgent.length} urgent, from ${[...new Set(urgent.map((m) => m.from))].join(", ")})`
  }
}

const awaitingText = (count: number) =>
  `${count} message(s) await your acknowledgement — call acknowledge_message for each.`

/**
 * The one line that tells an agent about its mail: the unread count, urgent mail named first, the senders (each
 * once), what to do; then how many read messages await its acknowledgement. "" when there is nothing to say.
 */
export const mailNotice = (agentId: string, unread: ReadonlyArray<NoticeMail>, awaitingAck = 0): string => {
  if (unread.length === 0) return awaitingAck === 0 ? "" : `helioy-bus: ${awaitingText(awaitingAck)}`
  const { names, urgent } = senders(unread)
  const line =
    `helioy-bus: ${unread.length} unread message(s) for '${agentId}'${urgent} from ${names} — call get_messages to read them.`
  return awaitingAck === 0 ? line : `${line} ${awaitingText(awaitingAck)}`
}

/** The line a waking hook shows for mail that just arrived, urgent mail named first. */
export const newMailNotice = (agentId: string, fresh: ReadonlyArray<NoticeMail>): string => {
  const { names, urgent } = senders(fresh)
  return `helioy-bus: ${fresh.length} new message(s) for '${agentId}'${urgent} from ${names} — call get_messages to read them.`
}
