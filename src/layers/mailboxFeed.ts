/**
 * Following the file mailboxes: a message landing in an inbox (delivered) and one moving into an archive (read), told
 * by inotify (`fs.watch`) on each checked inbox directory, never by listing the bus dir over and over.
 */
import { Effect, Queue } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { type BusTree, checkDirectory } from "../busFiles/directories.js"
import { readMessageHead } from "../busFiles/messageHead.js"
import { isMessageFileName } from "../busFiles/messageNames.js"
import type { AgentId } from "../domain/AgentId.js"
import type { InboxEvent } from "../services/Mailbox.js"

const usable = (tree: BusTree, dir: string) => {
  try {
    return checkDirectory(tree, dir, false)
  } catch {
    return false
  }
}

const names = (dir: string) => {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

/**
 * Watches every inbox under `inboxRoot` (and inboxes created later) and calls `emit` for each message file that
 * appears in an inbox or its archive after the call; directories that are symlinks or not the user's are not
 * watched. Returns the function that stops every watcher. Never throws.
 */
export const watchInboxes = (tree: BusTree, inboxRoot: string, emit: (event: InboxEvent) => void): () => void => {
  const watchers = new Map<string, fs.FSWatcher>()
  const seen = new Set<string>()

  const watch = (dir: string, onName: (name: string) => void) => {
    if (watchers.has(dir) || !usable(tree, dir)) return
    try {
      const watcher = fs.watch(dir, { persistent: true }, (_kind, name) => {
        if (name !== null) onName(String(name))
      })
      watcher.on("error", () => {
        watcher.close()
        watchers.delete(dir)
      })
      watchers.set(dir, watcher)
    } catch {
      return
    }
  }

  const fileEvent = (event: InboxEvent["event"], agentId: string, path: string, file: string) => {
    const key = `${event}\n${path}`
    if (seen.has(key) || !isMessageFileName(file)) return
    const head = readMessageHead(path)
    if (head === undefined) return
    // A long tail forgets what it saw long ago (a file is seen once per directory anyway).
    if (seen.size > 100_000) seen.clear()
    seen.add(key)
    emit({
      event,
      // The name of an inbox directory the bus made for this id.
      agentId: agentId as AgentId,
      message: { file, id: head.id, from: head.from, topic: head.topic, priority: head.priority }
    })
  }

  const watchInbox = (agentId: string) => {
    const dir = join(inboxRoot, agentId)
    const archive = join(dir, "archive")
    const watchArchive = () => {
      for (const file of names(archive)) seen.add(`read\n${join(archive, file)}`)
      watch(archive, (file) => fileEvent("read", agentId, join(archive, file), file))
    }
    for (const file of names(dir)) seen.add(`delivered\n${join(dir, file)}`)
    watch(dir, (name) => {
      if (name === "archive") watchArchive()
      else fileEvent("delivered", agentId, join(dir, name), name)
    })
    watchArchive()
  }

  watch(inboxRoot, (name) => {
    if (!name.startsWith(".")) watchInbox(name)
  })
  for (const name of names(inboxRoot)) if (!name.startsWith(".")) watchInbox(name)
  return () => {
    for (const watcher of watchers.values()) watcher.close()
    watchers.clear()
  }
}

/** The file mailboxes' `followInboxes`: `watchInboxes` for the scope, its events offered to the queue returned. */
export const followFiles = (tree: BusTree, inboxRoot: string) =>
  Effect.gen(function*() {
    const events = yield* Effect.acquireRelease(Queue.unbounded<InboxEvent>(), (queue) => Queue.shutdown(queue))
    yield* Effect.acquireRelease(
      // A callback of fs.watch, outside any fiber: offering to an unbounded queue never waits.
      Effect.sync(() => watchInboxes(tree, inboxRoot, (event) => Queue.unsafeOffer(events, event))),
      (stop) => Effect.sync(stop)
    )
    return events as Queue.Dequeue<InboxEvent>
  })
