/** The launch wrapper's relay and the daemon client, against a fake daemon on a real unix socket. */
import { Effect, Exit, Scope } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { serveTuiProxy } from "../../src/codex/tuiProxy.js"
import * as CodexThreadsLive from "../../src/layers/CodexThreadsLive.js"
import { type FakeAppServer, startFakeAppServer } from "../support/fakeAppServer.js"
import { makeTempDir, removeTempDirs } from "../support/mcpClient.js"

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  removeTempDirs()
})

/** A fake daemon whose control socket is a link to the real one, as Codex lays it out. */
const daemon = async (): Promise<{ readonly fake: FakeAppServer; readonly control: string; readonly dir: string }> => {
  const dir = makeTempDir("helioy-codex-test-")
  const real = join(dir, "daemon.sock")
  const fake = await startFakeAppServer(real)
  cleanups.push(fake.close)
  const control = join(dir, "app-server-control.sock")
  fs.symlinkSync(real, control)
  return { fake, control, dir }
}

/** Runs the relay until the test ends; collects the threads it reports. */
const relay = async (listen: string, control: string) => {
  const threads: Array<string> = []
  const scope = Effect.runSync(Scope.make())
  await Effect.runPromise(Scope.extend(serveTuiProxy(listen, control, (id) => threads.push(id)), scope))
  cleanups.push(() => Effect.runPromise(Scope.close(scope, Exit.void)))
  return threads
}

/** A client like the TUI: connects, sends frames, collects what comes back. */
const tui = async (socket: string) => {
  const ws = new WebSocket(`ws+unix://${socket}:/rpc`)
  const frames: Array<Record<string, unknown>> = []
  ws.on("message", (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>))
  await new Promise((resolve) => ws.once("open", resolve))
  cleanups.push(async () => ws.close())
  return {
    frames,
    send: (frame: Record<string, unknown>) => ws.send(JSON.stringify(frame)),
    until: async (done: () => boolean) => {
      for (let step = 0; step < 200 && !done(); step++) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(done()).toBe(true)
    }
  }
}

describe("the Codex TUI relay", () => {
  it("passes frames both ways unchanged and reports the thread the TUI starts", async () => {
    const { control, dir, fake } = await daemon()
    const threads = await relay(join(dir, "tui.sock"), control)
    const client = await tui(join(dir, "tui.sock"))
    client.send({ id: "init", method: "initialize", params: { clientInfo: { name: "codex-tui" } } })
    client.send({ id: "start-1", method: "thread/start", params: { cwd: "/work/api" } })
    await client.until(() => client.frames.length === 2)
    expect(fake.received.map((frame) => frame.method)).toEqual(["initialize", "thread/start"])
    expect(fake.received[1]).toEqual({ id: "start-1", method: "thread/start", params: { cwd: "/work/api" } })
    expect(client.frames[1]).toEqual({
      id: "start-1",
      result: { thread: { id: "thread-1", ephemeral: false, status: { type: "idle" } } }
    })
    expect(threads).toEqual(["thread-1"])
    fake.setStatus("thread-1", "active")
    await client.until(() => client.frames.length === 3)
    expect(client.frames[2]).toMatchObject({ method: "thread/status/changed", params: { threadId: "thread-1" } })
  })

  it("never reports an ephemeral helper thread (the TUI's title generation)", async () => {
    const { control, dir, fake } = await daemon()
    const threads = await relay(join(dir, "tui.sock"), control)
    const client = await tui(join(dir, "tui.sock"))
    client.send({ id: 1, method: "thread/start", params: {} })
    await client.until(() => client.frames.length === 1)
    fake.next = { id: "title-thread", ephemeral: true }
    client.send({ id: 2, method: "thread/start", params: { ephemeral: true } })
    await client.until(() => client.frames.length === 2)
    expect(threads).toEqual(["thread-1"])
  })

  it("fails with a clear reason when there is no daemon socket", async () => {
    const dir = makeTempDir("helioy-codex-test-")
    const error = await Effect.runPromise(
      Effect.flip(Effect.scoped(serveTuiProxy(join(dir, "tui.sock"), join(dir, "missing.sock"), () => {})))
    )
    expect(error.reason).toMatch(/^no Codex daemon socket at .*missing\.sock/)
  })
})

describe("the Codex daemon's threads (CodexThreadsLive)", () => {
  it("reads a thread's state, starts a turn in it, and waits for it to settle", async () => {
    const { control, fake } = await daemon()
    fake.threads.set("thread-9", "idle")
    const threads = CodexThreadsLive.make(control)
    expect(await Effect.runPromise(threads.state("thread-9"))).toBe("idle")
    expect(await Effect.runPromise(threads.state("unknown"))).toBe("notLoaded")
    expect(await Effect.runPromise(threads.startTurn("thread-9", "notice"))).toMatch(/^turn-/)
    expect(fake.received.filter((frame) => frame.method === "turn/start").map((frame) => frame.params)).toEqual([
      { threadId: "thread-9", input: [{ type: "text", text: "notice", text_elements: [] }] }
    ])
    const settled = Effect.runPromise(threads.awaitSettled("thread-9"))
    await new Promise((resolve) => setTimeout(resolve, 50))
    fake.setStatus("thread-9", "idle")
    expect(await settled).toBe("idle")
  })

  it("a refused turn fails with the daemon's reason; no daemon fails with CodexUnavailable", async () => {
    const { control, dir } = await daemon()
    const threads = CodexThreadsLive.make(control)
    const refused = await Effect.runPromise(Effect.flip(threads.startTurn("nope", "notice")))
    expect(refused.reason).toContain("thread not found: nope")
    const gone = await Effect.runPromise(Effect.flip(CodexThreadsLive.make(join(dir, "missing.sock")).state("x")))
    expect(gone._tag).toBe("CodexUnavailable")
  })
})
