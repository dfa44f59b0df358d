/**
 * The package as a library: everything imported from its public entry point `helioy-bus` (package.json "exports",
 * resolved by Node's self-reference to dist/index.js, so `npm run build` must have run), the bus program run inside
 * the caller's own Effect with the caller's own layers.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Schema } from "effect"
import { AgentId, Bus, BusLive, BusTest, Mailbox, RecipientNotFound } from "helioy-bus"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

describe("helioy-bus as a library", () => {
  it.effect("runs send and get on the in-memory bus (BusTest.layerTest)", () =>
    Effect.gen(function*() {
      yield* Bus.registerAgent({ pwd: "/work/app", agent_id: "reader:general" })
      const sent = yield* Bus.sendMessage({
        to: "reader:general",
        content: "hello from a library",
        from_agent: "writer:general"
      })
      expect(sent).toMatchObject({ delivered: true, nudged: false, recipients: ["reader:general"] })

      const claimed = yield* Bus.getMessages({ agent_id: "reader:general" })
      expect(claimed.messages.map((message) => [message.from, message.content])).toEqual([
        ["writer:general", "hello from a library"]
      ])
      expect((yield* Bus.getMessages({ agent_id: "reader:general" })).messages).toEqual([])

      const unknown = yield* Effect.flip(Bus.sendMessage({ to: "ghost:general", content: "hi" }))
      expect(unknown).toBeInstanceOf(RecipientNotFound)
      expect(unknown._tag).toBe("RecipientNotFound")
    }).pipe(Effect.provide(BusTest.layerTest({ selfId: "writer:general" }))))

  it.scopedLive("runs send and get on the live bus in a temp HELIOY_BUS_DIR given through a ConfigProvider", () =>
    Effect.gen(function*() {
      const root = yield* Effect.acquireRelease(
        Effect.sync(() => fs.mkdtempSync(join(tmpdir(), "helioy-lib-"))),
        (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
      )
      const busDir = join(root, "bus")
      const config = ConfigProvider.fromMap(
        new Map([["HELIOY_BUS_DIR", busDir], ["HELIOY_AGENT_ID", "writer:general"]])
      )
      const live = BusLive.pipe(Layer.provide(Layer.setConfigProvider(config)))

      const program = Effect.gen(function*() {
        yield* Bus.registerAgent({ pwd: root, agent_id: "reader:general" })
        const sent = yield* Bus.sendMessage({ to: "reader:general", content: "on disk", topic: "lib" })
        const pending = yield* Effect.flatMap(
          Mailbox,
          (mailbox) => mailbox.pending(Schema.decodeSync(AgentId)("reader:general"))
        )
        const claimed = yield* Bus.getMessages({ agent_id: "reader:general", topic: "lib" })
        return { sent, pending, claimed }
      })
      const { claimed, pending, sent } = yield* Effect.provide(program, live)

      expect(sent.recipients).toEqual(["reader:general"])
      expect(pending).toEqual([expect.objectContaining({ from: "writer:general", topic: "lib" })])
      expect(claimed.messages).toEqual([
        expect.objectContaining({ id: sent.message_id, from: "writer:general", content: "on disk" })
      ])
      expect(fs.readdirSync(join(busDir, "inbox", "reader:general", "archive"))).toHaveLength(1)
      expect(fs.statSync(join(busDir, "registry.db")).isFile()).toBe(true)
    }))
})
