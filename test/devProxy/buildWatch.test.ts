/** The rebuild watcher's re-scan (the fallback for a missed file event), on the TestClock. */
import { it } from "@effect/vitest"
import { Effect, Queue, TestClock } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect } from "vitest"
import { watchBuild } from "../../src/devProxy/buildWatch.js"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const pollOnly = { debounce: "300 millis", poll: "2 seconds", fileEvents: false } as const

/** A scratch dist/ with one file, watched by re-scan only; `rebuilds` receives one item per reported rebuild. */
const watched = Effect.gen(function*() {
  const dist = makeTempDir("helioy-build-watch-")
  fs.writeFileSync(join(dist, "server.mjs"), "build 1")
  const rebuilds = yield* Queue.unbounded<void>()
  yield* watchBuild(dist, pollOnly, Queue.offer(rebuilds, undefined))
  return { dist, rebuilds }
})

/** Replaces a file atomically, as a build does. */
const replace = (dist: string, content: string) => {
  fs.writeFileSync(join(dist, "next.tmp"), content)
  fs.renameSync(join(dist, "next.tmp"), join(dist, "server.mjs"))
}

describe("watchBuild", () => {
  it.scoped("without file events, the re-scan reports a rebuild once the directory has stayed quiet for the debounce", () =>
    Effect.gen(function*() {
      const { dist, rebuilds } = yield* watched
      replace(dist, "build 2")
      yield* TestClock.adjust("2 seconds")
      expect(yield* Queue.size(rebuilds)).toBe(0)
      yield* TestClock.adjust("300 millis")
      yield* Queue.take(rebuilds)
      yield* TestClock.adjust("10 seconds")
      expect(yield* Queue.size(rebuilds)).toBe(0)
    }))

  it.scoped("an unchanged directory is never reported", () =>
    Effect.gen(function*() {
      const { rebuilds } = yield* watched
      yield* TestClock.adjust("20 seconds")
      expect(yield* Queue.size(rebuilds)).toBe(0)
    }))

  it.scoped("files still changing during the debounce postpone the report until they stop", () =>
    Effect.gen(function*() {
      const { dist, rebuilds } = yield* watched
      replace(dist, "half written")
      yield* TestClock.adjust("2 seconds")
      fs.writeFileSync(join(dist, "chunk.mjs"), "more")
      yield* TestClock.adjust("300 millis")
      expect(yield* Queue.size(rebuilds)).toBe(0)
      yield* TestClock.adjust("300 millis")
      yield* TestClock.adjust("300 millis")
      yield* Queue.take(rebuilds)
    }))
})
