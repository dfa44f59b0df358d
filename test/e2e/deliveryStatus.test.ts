/** A message's whole path through the MCP SDK Client against the built `helioy-bus serve`: status, ack, threads, search. */
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"

const servers = serverPool()

afterEach(async () => {
  await servers.closeAll()
  removeTempDirs()
})

const alice = "proj:alice"
const bob = "proj:bob"
const carol = "proj:carol"

/** Three servers on one fresh bus dir, each registered as its agent. */
const threeAgents = async () => {
  const root = makeTempDir()
  const busDir = join(root, "bus")
  const start = async (agentId: string) => {
    const server = await servers.start({ home: root, busDir, agentId })
    await server.ok("register_agent", { pwd: root, agent_id: agentId })
    return server
  }
  return { a: await start(alice), b: await start(bob), c: await start(carol) }
}

type Status = { recipients: Array<Record<string, unknown>> }

describe("delivery status over MCP", () => {
  it("send with ack_required → unread → read after get_messages → acknowledged with its note; the sender gets the ack", async () => {
    const { a, b } = await threeAgents()
    const sent = await a.ok("send_message", { to: bob, content: "rotate the keys", ack_required: true })
    expect(sent.thread_id).toBe(sent.message_id)
    const status = async () => (await a.ok("message_status", { message_id: sent.message_id })) as unknown as Status
    expect((await status()).recipients).toEqual([expect.objectContaining({ agent_id: bob, state: "unread" })])
    const read = (await b.ok("get_messages")).result as Array<Record<string, unknown>>
    expect(read).toEqual([expect.objectContaining({ id: sent.message_id, ack_required: true, priority: "normal" })])
    expect((await status()).recipients[0]).toMatchObject({ state: "read", read_at: expect.any(String) })
    const acked = await b.ok("acknowledge_message", { message_id: sent.message_id, note: "rotated" })
    expect(acked).toMatchObject({ acknowledged: true, first: true, sender_notified: true })
    expect((await status()).recipients[0]).toMatchObject({
      state: "acknowledged",
      note: "rotated",
      acknowledged_at: acked.acknowledged_at
    })
    const inbox = (await a.ok("get_messages")).result as Array<Record<string, unknown>>
    expect(inbox).toEqual([
      expect.objectContaining({ from: bob, topic: "ack", in_reply_to: sent.message_id, thread_id: sent.message_id })
    ])
  })

  it("a thread across three agents reads whole for each participant; bad input is an isError that says what to do", async () => {
    const { a, b, c } = await threeAgents()
    const first = await a.ok("send_message", { to: bob, content: "who owns auth?" })
    const reply = await b.ok("send_message", { to: alice, content: "carol", in_reply_to: first.message_id })
    await a.ok("send_message", { to: carol, content: "is auth yours?", in_reply_to: reply.message_id })
    for (const server of [a, b, c]) {
      const thread = await server.ok("get_thread", { thread_id: first.thread_id })
      expect((thread.messages as Array<{ content: string }>).map((message) => message.content)).toEqual([
        "who owns auth?",
        "carol",
        "is auth yours?"
      ])
    }
    const found = await c.ok("search_messages", { query: "auth" })
    expect((found.results as Array<{ content: string }>).map((result) => result.content)).toEqual(["is auth yours?"])
    expect((await c.fails("search_messages", { query: "  " })).message).toContain("query")
    expect((await c.fails("message_status", { message_id: "missing" })).message).toContain("message_id")
    expect((await c.fails("get_thread", { thread_id: "missing" })).message).toContain("thread_id")
  })
})
