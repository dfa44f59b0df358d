/**
 * Nudges against a real tmux server on a private socket: what reaches a recipient's terminal, how, and when
 * nothing does. The recipient's pane runs a fake TUI that logs every stdin chunk it reads.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, it as plainIt } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import * as Bus from "../../src/programs/bus.js"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import {
  fakeTuiCommand,
  pollUntil,
  readTuiLog,
  startTmuxServer,
  type TmuxServer,
  tmuxServer,
  type TuiChunk
} from "../support/tmuxServer.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"

const recipient = "tui:claude"
const secret = "SECRET-PAYLOAD-7f3a Enter C-c ; rm -rf ~"

/** Waits until the fake TUI has read an Enter; returns every chunk it read. */
const waitForEnter = (log: string, count = 1) =>
  Effect.promise(() =>
    pollUntil(
      () => {
        const chunks = readTuiLog(log)
        return chunks.filter((chunk) => chunk.text.includes("\r")).length >= count ? chunks : undefined
      },
      `${count} Enter key(s) in the fake TUI`,
      () => JSON.stringify(readTuiLog(log))
    )
  )

/** Types a marker with tmux and waits until the pane's program has read it: everything typed before has arrived. */
const flushWithMarker = (tmux: TmuxServer, paneId: string, marker: string, log?: string) =>
  Effect.promise(async () => {
    tmux.run("send-keys", "-t", paneId, "-l", marker)
    if (log !== undefined) {
      await pollUntil(
        () => readTuiLog(log).map((chunk) => chunk.text).join("").includes(marker) ? true : undefined,
        `marker ${marker} in the fake TUI`
      )
    }
    await tmux.waitForPane(paneId, (text) => text.includes(marker), `marker ${marker} on screen`)
  })

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1

/** What one nudge must look like: the fixed text (possibly over several reads), then '\r' in a read of its own. */
const expectOneNudge = (chunks: ReadonlyArray<TuiChunk>) => {
  const enterIndex = chunks.findIndex((chunk) => chunk.text.includes("\r"))
  expect(enterIndex).toBeGreaterThan(0)
  const enter = chunks[enterIndex]!
  expect(enter.text).toBe("\r")
  const typed = chunks.slice(0, enterIndex)
  expect(typed.map((chunk) => chunk.text).join("")).toBe(nudgeText)
  expect(enter.at > typed[typed.length - 1]!.at).toBe(true)
}

/** A private tmux server, a fake TUI pane, the live bus pointed at both; the TUI is registered as a claude agent. */
const nudgeFixture = (options: { readonly tmuxBin?: string } = {}) =>
  Effect.gen(function*() {
    const root = yield* tempDir("helioy-nudge-")
    const tmux = yield* tmuxServer(root)
    const log = join(root, "tui.log")
    const services = yield* buildLiveBus({
      HELIOY_BUS_DIR: join(root, "bus"),
      HELIOY_AGENT_ID: "sender:general",
      HELIOY_TMUX_BIN: options.tmuxBin ?? tmux.bin
    })
    const run = runOn(services)
    const startTui = (session: string, tuiLog = log) =>
      Effect.promise(async () => {
        const paneId = tmux.newSession(session, fakeTuiCommand(root, tuiLog))
        await tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the fake TUI to start")
        return paneId
      })
    const register = (agentId: string, paneId: string, runtime = "claude") =>
      run(
        Bus.registerAgent({ pwd: root, agent_id: agentId, runtime, pane_id: paneId, tmux_target: tmux.target(paneId) })
      )
    /** A second, nudgeable TUI: nudging it proves the bus reaches this tmux server, so a "not nudged" is specific. */
    const expectControlNudged = Effect.gen(function*() {
      const controlLog = join(root, "control.log")
      const paneId = yield* startTui("control", controlLog)
      yield* register("control:claude", paneId)
      const sent = yield* run(Bus.sendMessage({ to: "control:claude", content: "control" }))
      expect(sent.nudged).toBe(true)
      expectOneNudge(yield* waitForEnter(controlLog))
    })
    return { root, tmux, log, run, startTui, register, expectControlNudged }
  })

describe("nudge through a real tmux server (live layers)", () => {
  it.scopedLive("a send to an idle claude pane types the fixed text, then presses Enter as a separate key", () =>
    Effect.gen(function*() {
      const { log, register, run, startTui, tmux } = yield* nudgeFixture()
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId)

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: "hello" }))
      expect(sent).toMatchObject({ delivered: true, nudged: true, recipients: [recipient] })

      const chunks = yield* waitForEnter(log)
      expectOneNudge(chunks)
      const screen = yield* Effect.promise(() =>
        tmux.waitForPane(paneId, (text) => text.includes(nudgeText), "the nudge text on screen")
      )
      expect(screen).toContain(nudgeText)
    }))

  it.scopedLive("message content never reaches the pane, only the fixed text", () =>
    Effect.gen(function*() {
      const { log, register, run, startTui, tmux } = yield* nudgeFixture()
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId)

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: secret }))
      expect(sent.nudged).toBe(true)
      yield* waitForEnter(log)
      yield* flushWithMarker(tmux, paneId, "MARKER-CONTENT", log)

      const typed = readTuiLog(log).map((chunk) => chunk.text).join("")
      expect(typed).toBe(`${nudgeText}\rMARKER-CONTENT`)
      expect(tmux.capture(paneId)).not.toContain("SECRET-PAYLOAD")
      const claimed = yield* run(Bus.getMessages({ agent_id: recipient }))
      expect(claimed.messages.map((message) => message.content)).toEqual([secret])
    }))

  it.scopedLive("a second send within 30 s is delivered but does not nudge again", () =>
    Effect.gen(function*() {
      const { log, register, run, startTui, tmux } = yield* nudgeFixture()
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId)

      expect((yield* run(Bus.sendMessage({ to: recipient, content: "first" }))).nudged).toBe(true)
      yield* waitForEnter(log)
      const before = tmux.capture(paneId)

      const second = yield* run(Bus.sendMessage({ to: recipient, content: "second" }))
      expect(second).toMatchObject({ delivered: true, nudged: false, recipients: [recipient] })
      yield* flushWithMarker(tmux, paneId, "MARKER-THROTTLE", log)

      const typed = readTuiLog(log).map((chunk) => chunk.text).join("")
      expect(occurrences(typed, nudgeText)).toBe(1)
      expect(tmux.capture(paneId).replace("MARKER-THROTTLE", "")).toBe(before)
      const claimed = yield* run(Bus.getMessages({ agent_id: recipient }))
      expect(claimed.messages.map((message) => message.content)).toEqual(["first", "second"])
    }))

  it.scopedLive("a pane running a shell is never typed into", () =>
    Effect.gen(function*() {
      const { log, register, root, run, startTui, tmux } = yield* nudgeFixture()
      const tuiPane = yield* startTui("agent")
      yield* register("tui:codex", tuiPane, "codex")
      const paneId = tmux.newSession("shell", ["bash", "--norc", "--noprofile"])
      yield* Effect.promise(() =>
        pollUntil(
          () =>
            tmux.run("display-message", "-p", "-t", paneId, "#{pane_current_command}").trim() === "bash" &&
              tmux.capture(paneId).trim() !== ""
              ? true
              : undefined,
          "bash to show its prompt"
        )
      )
      yield* register(recipient, paneId)

      const sent = yield* run(Bus.sendMessage({ to: `${recipient};tui:codex`, content: "hello" }))
      expect(sent).toMatchObject({ delivered: true, nudged: true, recipients: [recipient, "tui:codex"] })
      expectOneNudge(yield* waitForEnter(log))
      yield* flushWithMarker(tmux, paneId, "MARKER-SHELL")

      const screen = tmux.capture(paneId)
      expect(screen).not.toContain("you have new mail")
      expect(screen).not.toContain("get_messages")
      expect(fs.readdirSync(join(root, "bus", "inbox", recipient)).filter((name) => name.endsWith(".json")))
        .toHaveLength(1)
    }))

  it.scopedLive("a pane in copy-mode is taken out of it before the text is typed", () =>
    Effect.gen(function*() {
      const { log, register, run, startTui, tmux } = yield* nudgeFixture()
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId)
      tmux.run("copy-mode", "-t", paneId)
      expect(tmux.inMode(paneId)).toBe(true)

      expect((yield* run(Bus.sendMessage({ to: recipient, content: "hello" }))).nudged).toBe(true)

      expectOneNudge(yield* waitForEnter(log))
      expect(tmux.inMode(paneId)).toBe(false)
    }))

  it.scopedLive("a killed pane gets the message delivered and is not nudged", () =>
    Effect.gen(function*() {
      const { expectControlNudged, register, run, startTui, tmux } = yield* nudgeFixture()
      tmux.newSession("keeper", ["cat"])
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId)
      tmux.run("kill-pane", "-t", paneId)

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: "are you there?" }))
      expect(sent).toMatchObject({ delivered: true, nudged: false, recipients: [recipient] })
      const claimed = yield* run(Bus.getMessages({ agent_id: recipient }))
      expect(claimed.messages.map((message) => message.content)).toEqual(["are you there?"])
      yield* expectControlNudged
    }))

  it.scopedLive("a pane whose program exited (remain-on-exit) is not nudged", () =>
    Effect.gen(function*() {
      const { expectControlNudged, register, run, tmux } = yield* nudgeFixture()
      tmux.newSession("keeper", ["cat"])
      tmux.run("set-option", "-g", "remain-on-exit", "on")
      const paneId = tmux.newSession("agent", ["true"])
      yield* Effect.promise(() =>
        pollUntil(
          () => tmux.run("display-message", "-p", "-t", paneId, "#{pane_dead}").trim() === "1" ? true : undefined,
          "the pane's program to exit"
        )
      )
      yield* register(recipient, paneId)

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: "hello" }))
      expect(sent).toMatchObject({ delivered: true, nudged: false, recipients: [recipient] })
      tmux.run("set-option", "-g", "remain-on-exit", "off")
      yield* expectControlNudged
    }))

  it.scopedLive("with tmux missing the message is delivered and nobody is nudged", () =>
    Effect.gen(function*() {
      const { run, root } = yield* nudgeFixture({ tmuxBin: "/nonexistent/tmux" })
      yield* run(
        Bus.registerAgent({ pwd: root, agent_id: recipient, runtime: "claude", pane_id: "%1", tmux_target: "s:0.0" })
      )

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: "hello" }))
      expect(sent).toMatchObject({ delivered: true, nudged: false, recipients: [recipient] })
      const claimed = yield* run(Bus.getMessages({ agent_id: recipient }))
      expect(claimed.messages.map((message) => message.content)).toEqual(["hello"])
    }))

  it.scopedLive("a runtime that takes no nudges (unknown) is never typed into", () =>
    Effect.gen(function*() {
      const { expectControlNudged, log, register, run, startTui, tmux } = yield* nudgeFixture()
      const paneId = yield* startTui("agent")
      yield* register(recipient, paneId, "unknown")

      const sent = yield* run(Bus.sendMessage({ to: recipient, content: "hello" }))
      expect(sent.nudged).toBe(false)
      yield* flushWithMarker(tmux, paneId, "MARKER-UNKNOWN", log)
      expect(readTuiLog(log).map((chunk) => chunk.text).join("")).toBe("MARKER-UNKNOWN")
      yield* expectControlNudged
    }))
})

describe("nudge through the built server", () => {
  const servers = serverPool()
  const tmuxServers: Array<TmuxServer> = []
  afterEach(async () => {
    await servers.closeAll()
    for (const server of tmuxServers.splice(0)) server.kill()
    removeTempDirs()
  })

  plainIt("the server's tmux calls reach the server of TMUX_TMPDIR; a second server's send is throttled", async () => {
    const root = makeTempDir("helioy-nudge-e2e-")
    const tmux = startTmuxServer(root)
    tmuxServers.push(tmux)
    const log = join(root, "tui.log")
    const paneId = tmux.newSession("agent", fakeTuiCommand(root, log))
    await tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the fake TUI to start")
    const options = { home: root, busDir: join(root, "bus"), env: { TMUX_TMPDIR: tmux.tmpdir } }
    const first = await servers.start({ ...options, agentId: recipient })
    const second = await servers.start({ ...options, agentId: "other:general" })

    await first.ok("register_agent", {
      pwd: root,
      agent_id: recipient,
      runtime: "claude",
      pane_id: paneId,
      tmux_target: tmux.target(paneId)
    })
    expect(await first.ok("send_message", { to: recipient, content: secret })).toMatchObject({ nudged: true })
    const chunks = await pollUntil(
      () => {
        const read = readTuiLog(log)
        return read.some((chunk) => chunk.text.includes("\r")) ? read : undefined
      },
      "an Enter in the fake TUI"
    )
    expectOneNudge(chunks)

    expect(await second.ok("send_message", { to: recipient, content: "again" })).toMatchObject({ nudged: false })
    tmux.run("send-keys", "-t", paneId, "-l", "MARKER-E2E")
    await pollUntil(
      () => readTuiLog(log).map((chunk) => chunk.text).join("").includes("MARKER-E2E") ? true : undefined,
      "the marker in the fake TUI"
    )
    const typed = readTuiLog(log).map((chunk) => chunk.text).join("")
    expect(typed).toBe(`${nudgeText}\rMARKER-E2E`)
    expect(tmux.capture(paneId)).not.toContain("SECRET-PAYLOAD")
  })
})
