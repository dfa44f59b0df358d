import { Effect, Option } from "effect"
import type { AgentRow } from "../domain/AgentRecord.js"
import type { Message } from "../domain/Message.js"
import { maxReadLimit } from "../domain/ReadLimits.js"
import { Mailbox, type Taken } from "../services/Mailbox.js"
import { Registry } from "../services/Registry.js"

/** A bus's registry and unread mail, as `helioy-bus migrate` copies them. */
export interface ExportedBus {
  readonly agents: ReadonlyArray<AgentRow>
  /** Each registered agent's unread messages, oldest first. */
  readonly unread: ReadonlyArray<{ readonly agent: AgentRow; readonly messages: ReadonlyArray<Message> }>
}

/**
 * Reads every registered agent and its unread messages without changing anything a reader sees: the messages are
 * taken batch after batch while the earlier batches stay held, then all given back unread. Fails with
 * RegistryUnavailable or MailboxUnavailable.
 */
export const exportBus = Effect.fn("bus.exportBus")(function*() {
  const registry = yield* Registry
  const mailbox = yield* Mailbox
  const agents = yield* registry.list
  const unread = yield* Effect.forEach(agents, (agent) =>
    Effect.gen(function*() {
      const held: Array<Taken> = []
      const giveBack = Effect.forEach(held, (taken) => taken.settle(false), { discard: true })
      const messages = yield* Effect.gen(function*() {
        for (;;) {
          const taken = yield* mailbox.take(agent.agent_id, Option.none(), maxReadLimit)
          held.push(taken)
          if (taken.messages.length === 0) return held.flatMap((batch) => batch.messages)
        }
      }).pipe(Effect.ensuring(giveBack))
      return { agent, messages }
    }))
  return { agents, unread } satisfies ExportedBus
})
