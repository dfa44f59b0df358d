/** Delivery status across two hosts of one PostgreSQL bus, through the SDK client against the built server. */
import { afterEach, describe, expect, it } from "vitest"
import { removeTempDirs } from "../support/mcpClient.js"
import { pgHosts } from "../support/pg/pgHosts.js"
import { noPostgres } from "../support/pg/pgLayers.js"

const { cleanUp, freshSchema, host } = pgHosts()

afterEach(async () => {
  await cleanUp()
  removeTempDirs()
})

describe.skipIf(noPostgres)("delivery status on PostgreSQL", () => {
  it("a message from host A asking for an ack goes unread → read → acknowledged on host B; threads, urgent and search work across hosts", async () => {
    const schema = freshSchema()
    const a = await host("alpha", schema)("alpha:lead")
    const b = await host("beta", schema)("beta:worker")
    await a.ok("register_agent", { pwd: "/w/alpha", agent_id: "alpha:lead" })
    await b.ok("register_agent", { pwd: "/w/beta", agent_id: "beta:worker" })

    const sent = await a.ok("send_message", { to: "beta:worker", content: "deploy the canary", ack_required: true })
    const state = async () =>
      ((await a.ok("message_status", { message_id: sent.message_id })).recipients as Array<Record<string, unknown>>)[0]
    expect(await state()).toMatchObject({ agent_id: "beta:worker", state: "unread" })
    await a.ok("send_message", { to: "beta:worker", content: "stop everything", priority: "urgent" })
    const read = (await b.ok("get_messages")).result as Array<{ content: string }>
    expect(read.map((message) => message.content)).toEqual(["stop everything", "deploy the canary"])
    expect(await state()).toMatchObject({ state: "read", read_at: expect.any(String) })
    expect(await b.ok("acknowledge_message", { message_id: sent.message_id, note: "canary out" })).toMatchObject({
      first: true,
      sender_notified: true
    })
    expect(await state()).toMatchObject({ state: "acknowledged", note: "canary out" })
    const acks = (await a.ok("get_messages")).result as Array<Record<string, unknown>>
    expect(acks).toEqual([expect.objectContaining({ from: "beta:worker", topic: "ack", in_reply_to: sent.message_id })])

    const thread = await b.ok("get_thread", { thread_id: sent.thread_id })
    expect((thread.messages as Array<{ from: string }>).map((message) => message.from)).toEqual([
      "alpha:lead",
      "beta:worker"
    ])
    const found = await b.ok("search_messages", { query: "canary" })
    expect((found.results as Array<{ content: string }>)[0]!.content).toBe("deploy the canary")
  })
})
