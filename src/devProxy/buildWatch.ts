/**
 * Notices a rebuild of a directory (the server's `dist/`): file events from `fs.watch`, and a slow re-scan as the
 * fallback, so that an event the watcher misses never leaves the old server running. A build writes many files,
 * so a rebuild is reported once the directory has been quiet for the debounce and its contents differ from the last
 * report.
 */
import { type Duration, Effect, Option, Queue, Ref, type Scope } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"

/** How a directory is watched. */
export interface BuildWatchOptions {
  /** How long the directory must stay unchanged before a rebuild is reported. */
  readonly debounce: Duration.DurationInput
  /** How often the directory is re-scanned, whatever the file events say. */
  readonly poll: Duration.DurationInput
  /** Whether `fs.watch` events are used too (false: the re-scan alone). */
  readonly fileEvents: boolean
}

/**
 * What the directory holds, as one comparable string: every file's path, inode, size and modification time (an
 * atomic replace changes the inode); "" when the directory cannot be read.
 */
export const snapshot = (dir: string): string => {
  const entries: Array<string> = []
  const visit = (path: string, depth: number) => {
    let names: Array<fs.Dirent>
    try {
      names = fs.readdirSync(path, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of names) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) {
        if (depth < 16) visit(full, depth + 1)
        continue
      }
      try {
        const stat = fs.statSync(full)
        entries.push(`${full}\u0000${stat.ino}\u0000${stat.size}\u0000${stat.mtimeMs}`)
      } catch {
        // removed while scanning: the next scan sees it gone
      }
    }
  }
  visit(dir, 0)
  return entries.sort().join("\n")
}

/** Opens `fs.watch` on the directory for the scope, nudging `nudges` on every event; none when it cannot watch. */
const fileEvents = (dir: string, nudges: Queue.Queue<void>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      try {
        const watcher = fs.watch(dir, { recursive: true }, () => Queue.unsafeOffer(nudges, undefined))
        watcher.on("error", () => watcher.close())
        return Option.some(watcher)
      } catch {
        return Option.none<fs.FSWatcher>()
      }
    }),
    (watcher) => Effect.sync(() => Option.map(watcher, (open) => open.close()))
  )

/**
 * Watches `dir` for the scope and runs `onRebuilt` after each rebuild (never twice for one set of contents, never
 * while files are still changing). Never fails; a directory that is missing for a while is simply seen as changed.
 */
export const watchBuild = (
  dir: string,
  options: BuildWatchOptions,
  onRebuilt: Effect.Effect<void>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const nudges = yield* Queue.sliding<void>(1)
    const reported = yield* Ref.make(snapshot(dir))
    if (options.fileEvents) yield* fileEvents(dir, nudges)
    const rescan = Effect.gen(function*() {
      if (snapshot(dir) !== (yield* Ref.get(reported))) yield* Queue.offer(nudges, undefined)
    })
    yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(options.poll), rescan)))
    // Quiet means: no file event and no change in the contents for one whole debounce.
    const settle = (seen: string): Effect.Effect<string> =>
      Effect.gen(function*() {
        const nudged = yield* Effect.timeoutOption(Queue.take(nudges), options.debounce)
        const now = snapshot(dir)
        return Option.isNone(nudged) && now === seen ? now : yield* settle(now)
      })
    const reportRebuilds = Effect.gen(function*() {
      yield* Queue.take(nudges)
      const settled = yield* settle(snapshot(dir))
      if (settled !== (yield* Ref.get(reported))) {
        yield* Ref.set(reported, settled)
        yield* onRebuilt
      }
    })
    yield* Effect.forkScoped(Effect.forever(reportRebuilds))
  })
