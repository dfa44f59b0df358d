/** The only text a nudge ever types: fixed, one line, never message content. */
export const nudgeText = "helioy-bus: you have new mail. Call get_messages to read it."
