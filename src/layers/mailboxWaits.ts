/** Waiting for new mail in an inbox: change events, and a slow re-scan so that a missed event never loses a wake. */
import { type Duration, Effect } from "effect"
import * as fs from "node:fs"
import { isMessageFileName } from "../busFiles/messageNames.js"
import type { AgentId } from "../domain/AgentId.js"
import type { MailboxUnavailable } from "../errors/stores.js"

/** The two ways to wait for mail in an inbox dir, failing with what `unavailable` makes of a read error. */
export const inboxWaits = (
  unavailable: (agentId: string, path: string) => (error: unknown) => MailboxUnavailable,
  mailRescan: Duration.Duration
) => {
  /** The unread message files of `dir` not in `known`, sorted; throws what readdir throws. */
  const listFresh = (dir: string, known: ReadonlySet<string>) =>
    fs.readdirSync(dir).filter((name) => isMessageFileName(name) && !known.has(name)).sort()

  /** The unread message files not in `known`, or an error naming the inbox. */
  const freshNames = (agentId: AgentId, dir: string, known: ReadonlySet<string>) =>
    Effect.try({ try: () => listFresh(dir, known), catch: unavailable(agentId, dir) })

  /** Waits for a change event of the inbox (inotify and the like), then its fresh names; never ends without events. */
  const watched = (agentId: AgentId, dir: string, known: ReadonlySet<string>) =>
    Effect.async<ReadonlyArray<string>, MailboxUnavailable>((resume) => {
      let watcher: fs.FSWatcher | undefined
      const check = () => {
        try {
          const names = listFresh(dir, known)
          if (names.length > 0) {
            watcher?.close()
            resume(Effect.succeed(names))
          }
        } catch (error) {
          watcher?.close()
          resume(Effect.fail(unavailable(agentId, dir)(error)))
        }
      }
      try {
        watcher = fs.watch(dir, { persistent: true }, check)
      } catch {
        // No events on this file system: the slow re-scan alone finds new mail.
        return
      }
      check()
      return Effect.sync(() => watcher?.close())
    })

  /** Looks at the inbox every `mailRescan`, so that a missed event delays a wake but never loses it. */
  const rescanned = (agentId: AgentId, dir: string, known: ReadonlySet<string>) =>
    Effect.gen(function*() {
      for (;;) {
        const names = yield* freshNames(agentId, dir, known)
        if (names.length > 0) return names
        yield* Effect.sleep(mailRescan)
      }
    })

  return { watched, rescanned }
}
