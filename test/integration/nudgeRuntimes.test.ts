/**
 * The tmux nudge as each runtime's terminal receives it, through a real tmux server on a private socket: the fixed
 * notice, then — after a pause, as a read of its own — Enter (Codex turns an Enter that arrives with the text into a
 * newline). The recipient's pane runs a fake TUI that logs every stdin read with its arrival time.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { join } from "node:path"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as Bus from "../../src/programs/bus.js"
import { fakeTuiCommand, pollUntil, readTuiLog, tmuxServer, type TuiChunk } from "../support/tmuxServer.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"

const secret = "SECRET-PAYLOAD-91c4 $(touch /tmp/pwned) Enter"

/** The pause the bus leaves before Enter is 150 ms; the reads must show at least this gap (scheduling slack aside). */
const minimumGapNanos = 100_000_000n

const typedText = (chunks: ReadonlyArray<TuiChunk>) => chunks.map((chunk) => chunk.text).join("")

/** A private tmux server, the live bus pointed at it, and a fake TUI registered as an agent of `runtime`. */
const recipientFixture = (runtime: string) =>
  Effect.gen(function*() {
    const root = yield* tempDir("helioy-nudge-runtimes-")
    const tmux = yield* tmuxServer(root)
    const log = join(root, `${runtime}.log`)
    const run = runOn(
      yield* buildLiveBus({
        HELIOY_BUS_DIR: join(root, "bus"),
        HELIOY_AGENT_ID: "lead:planner",
        HELIOY_TMUX_BIN: tmux.bin
      })
    )
    const paneId = tmux.newSession(runtime, fakeTuiCommand(root, log))
    yield* Effect.promise(() =>
      tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the fake TUI to start")
    )
    const agentId = `app:${runtime}`
    yield* run(
      Bus.registerAgent({ pwd: root, agent_id: agentId, runtime, pane_id: paneId, tmux_target: tmux.target(paneId) })
    )
    /** Waits until the TUI has read an Enter; returns every chunk it read. */
    const enterRead = Effect.promise(() =>
      pollUntil(
        () => {
          const chunks = readTuiLog(log)
          return chunks.some((chunk) => chunk.text.includes("\r")) ? chunks : undefined
        },
        `an Enter in the ${runtime} TUI`,
        () => JSON.stringify(readTuiLog(log))
      )
    )
    /** Types a marker and waits until the TUI has read it: everything typed before it has arrived. */
    const flush = (marker: string) =>
      Effect.promise(async () => {
        tmux.run("send-keys", "-t", paneId, "-l", marker)
        await pollUntil(
          () => typedText(readTuiLog(log)).includes(marker) ? true : undefined,
          `${marker} in the ${runtime} TUI`
        )
      })
    return { agentId, enterRead, flush, log, paneId, run, tmux }
  })

describe("tmux nudge per runtime (real tmux, fake TUI)", () => {
  for (const runtime of ["claude", "codex"]) {
    it.scopedLive(`a ${runtime} recipient reads the fixed notice, then Enter as a separate read at least 100 ms later; never the content`, () =>
      Effect.gen(function*() {
        const { agentId, enterRead, flush, log, paneId, run, tmux } = yield* recipientFixture(runtime)

        const sent = yield* run(Bus.sendMessage({ to: agentId, content: secret }))
        expect(sent).toMatchObject({ delivered: true, nudged: true, recipients: [agentId] })

        const chunks = yield* enterRead
        const enterIndex = chunks.findIndex((chunk) => chunk.text.includes("\r"))
        const notice = chunks.slice(0, enterIndex)
        const enter = chunks[enterIndex]!
        expect(notice.length).toBeGreaterThan(0)
        expect(typedText(notice)).toBe(nudgeText)
        expect(enter.text).toBe("\r")
        expect(enter.at - notice[notice.length - 1]!.at).toBeGreaterThanOrEqual(minimumGapNanos)

        yield* flush("MARKER-END")
        expect(typedText(readTuiLog(log))).toBe(`${nudgeText}\rMARKER-END`)
        expect(tmux.capture(paneId)).not.toContain("SECRET-PAYLOAD")
        const claimed = yield* run(Bus.getMessages({ agent_id: agentId }))
        expect(claimed.messages.map((message) => message.content)).toEqual([
          runtime === "codex" ? expect.stringContaining(secret) : secret
        ])
      }))
  }
})
