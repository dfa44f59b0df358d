/** What happened to one recipient's copy of a message, from the facts the bus keeps. */

/**
 * The state of one recipient's copy: `unread` (in the inbox, or claimed and not yet handed over), `read` (archived
 * after the reader got it), `acknowledged`, `quarantined` (its file was not a valid message), `expired` (the recipient
 * left the bus with it unread).
 */
export type DeliveryState = "unread" | "read" | "acknowledged" | "quarantined" | "expired"

/** The facts about one copy. */
export interface CopyFacts {
  /** Where its file is; `missing` when it is nowhere (an archive pruned or removed after reading). */
  readonly file: "unread" | "read" | "quarantined" | "missing"
  readonly acknowledged: boolean
  /** Whether the recipient is still registered. */
  readonly registered: boolean
}

/**
 * The state of a copy. An acknowledgement and a read are final; an unread copy of a recipient that left is expired
 * (its file stays, and is read if the agent comes back); a copy whose file is gone was read and archived.
 */
export const deliveryState = (facts: CopyFacts): DeliveryState => {
  if (facts.acknowledged) return "acknowledged"
  switch (facts.file) {
    case "quarantined":
      return "quarantined"
    case "read":
    case "missing":
      return "read"
    case "unread":
      return facts.registered ? "unread" : "expired"
  }
}

/** How far along a state is: states only move to a higher rank (`expired` and `quarantined` are ends of their own). */
export const stateRank: Record<DeliveryState, number> = {
  unread: 0,
  expired: 1,
  quarantined: 1,
  read: 2,
  acknowledged: 3
}
