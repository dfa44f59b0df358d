/** The one line that tells an agent about its unread mail: count, senders (each once, in order), and what to do. */
export const mailNotice = (agentId: string, senders: ReadonlyArray<string>): string =>
  `helioy-bus: ${senders.length} unread message(s) for '${agentId}' from ${
    [...new Set(senders)].join(", ")
  } — call get_messages to read them.`
