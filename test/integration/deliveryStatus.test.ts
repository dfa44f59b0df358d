/** Delivery status, threads and search on the live bus: real inbox files, a real registry.db with FTS5. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fastMailContext } from "../../src/cli/hookFastPath.js"
import * as Bus from "../../src/programs/bus.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"

const alice = "proj:alice"
const bob = "proj:bob"

/** A live bus in a fresh dir with alice and bob registered. */
const liveBus = Effect.gen(function*() {
  const root = yield* tempDir("helioy-status-")
  const busDir = join(root, "bus")
  const run = runOn(yield* buildLiveBus({ HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: alice }))
  for (const agentId of [alice, bob]) yield* run(Bus.registerAgent({ pwd: root, agent_id: agentId }))
  const inbox = (agentId: string) => join(busDir, "inbox", agentId)
  const status = (messageId: string, asker: string) =>
    Effect.map(run(Bus.messageStatus({ message_id: messageId, agent_id: asker })), (found) => found.recipients[0]!)
  return { busDir, run, inbox, status }
})

describe("delivery status on disk", () => {
  it.scopedLive("a message the Python helioy-bus wrote, without the new keys, is unread, then read once got", () =>
    Effect.gen(function*() {
      const { inbox, run, status } = yield* liveBus
      const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
      const file = join(inbox(bob), "2026-11-30T10-00-00.000001+00-00_0f8fad5b.json")
      fs.writeFileSync(
        file,
        JSON.stringify({
          id,
          from: "py:agent",
          to: bob,
          reply_to: "py:agent",
          topic: null,
          content: "from python",
          sent_at: "2026-11-30T10:00:00.000001+00:00"
        }),
        { mode: 0o600 }
      )
      expect(yield* status(id, bob)).toMatchObject({ agent_id: bob, state: "unread", wake: "none" })
      const got = yield* run(Bus.getMessages({ agent_id: bob }))
      expect(got.messages.map((message) => message.id)).toEqual([id])
      expect(yield* status(id, bob)).toMatchObject({ state: "read", read_at: expect.any(String) })
      // Read by this bus, it is in the log now: its thread and the search know it.
      expect((yield* run(Bus.getThread({ thread_id: id, agent_id: bob }))).messages[0]).toMatchObject({
        from: "py:agent",
        content: "from python"
      })
      expect((yield* run(Bus.searchMessages({ query: "python", agent_id: bob }))).results).toHaveLength(1)
    }))

  it.scopedLive("a reader killed mid-claim leaves the message unread, not read, until it is re-delivered and read", () =>
    Effect.gen(function*() {
      const { inbox, run, status } = yield* liveBus
      const sent = yield* run(Bus.sendMessage({ to: bob, content: "held", from_agent: alice, nudge: false }))
      const [name] = fs.readdirSync(inbox(bob)).filter((entry) => entry.endsWith(".json"))
      // What a killed reader leaves: the file claimed under its pid, never settled.
      const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid!
      fs.mkdirSync(join(inbox(bob), "claimed"), { recursive: true, mode: 0o700 })
      fs.renameSync(join(inbox(bob), name!), join(inbox(bob), "claimed", `${dead}.${name}`))
      expect(yield* status(sent.message_id, alice)).toMatchObject({ state: "unread" })
      const again = yield* run(Bus.getMessages({ agent_id: bob }))
      expect(again.messages.map((message) => message.id)).toEqual([sent.message_id])
      expect(yield* status(sent.message_id, alice)).toMatchObject({ state: "read" })
    }))

  it.scopedLive("a read message asking for an acknowledgement is on the awaiting list on disk until acknowledged", () =>
    Effect.gen(function*() {
      const { busDir, inbox, run } = yield* liveBus
      const sent = yield* run(
        Bus.sendMessage({ to: bob, content: "please confirm", from_agent: alice, ack_required: true, nudge: false })
      )
      const env = { HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: bob }
      expect(fastMailContext(env, "UserPromptSubmit")).toContain("1 unread message(s)")
      yield* run(Bus.getMessages({ agent_id: bob }))
      expect(fs.readdirSync(join(inbox(bob), "awaiting"))).toHaveLength(1)
      expect(fastMailContext(env, "UserPromptSubmit")).toContain("1 message(s) await your acknowledgement")
      yield* run(Bus.acknowledgeMessage({ message_id: sent.message_id, agent_id: bob }))
      expect(fs.readdirSync(join(inbox(bob), "awaiting"))).toEqual([])
      expect(fastMailContext(env, "UserPromptSubmit")).toBe("")
    }))

  it.scopedLive("urgent files are claimed first from a real inbox", () =>
    Effect.gen(function*() {
      const { run } = yield* liveBus
      for (const [content, priority] of [["n1", "normal"], ["u1", "urgent"], ["n2", "normal"]] as const) {
        yield* run(Bus.sendMessage({ to: bob, content, from_agent: alice, priority, nudge: false }))
      }
      const got = yield* run(Bus.getMessages({ agent_id: bob }))
      expect(got.messages.map((message) => message.content)).toEqual(["u1", "n1", "n2"])
    }))
})

describe("search on FTS5", () => {
  it.scopedLive("finds a word in the content and in the topic, best match first; query syntax is taken literally", () =>
    Effect.gen(function*() {
      const { run } = yield* liveBus
      yield* run(Bus.sendMessage({ to: bob, content: "deploy later", topic: "release", from_agent: alice }))
      yield* run(
        Bus.sendMessage({ to: bob, content: "release notes: the release is out, release early", from_agent: alice })
      )
      yield* run(Bus.sendMessage({ to: bob, content: "unrelated", from_agent: alice }))
      const found = yield* run(Bus.searchMessages({ query: "release", agent_id: bob }))
      expect(found.results.map((result) => result.content)).toEqual([
        "release notes: the release is out, release early",
        "deploy later"
      ])
      expect(found.results[0]!.rank).toBeLessThan(found.results[1]!.rank)
      for (const hostile of ["\"release", "release AND", "NEAR(release", "col:release", "*"]) {
        expect((yield* run(Bus.searchMessages({ query: hostile, agent_id: bob }))).results.length).toBeLessThanOrEqual(
          2
        )
      }
    }))

  it.scopedLive("mail that was in the inboxes before the log existed is indexed on the first search", () =>
    Effect.gen(function*() {
      const { inbox, run } = yield* liveBus
      fs.writeFileSync(
        join(inbox(bob), "2026-11-30T10-00-00.000001+00-00_11111111.json"),
        JSON.stringify({
          id: "11111111-2222-4333-8444-555555555555",
          from: "py:agent",
          to: bob,
          reply_to: "py:agent",
          topic: "legacy",
          content: "an old pelican",
          sent_at: "2026-11-30T10:00:00.000001+00:00"
        }),
        { mode: 0o600 }
      )
      const found = yield* run(Bus.searchMessages({ query: "pelican", agent_id: bob }))
      expect(found.results.map((result) => [result.from, result.state])).toEqual([["py:agent", "unread"]])
    }))
})
