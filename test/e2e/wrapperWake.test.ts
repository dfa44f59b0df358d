/**
 * The launch wrapper wakes its own pane: the built `helioy-bus run <runtime> -- <TUI>` in a pane of a private tmux
 * server holds the agent's mail waiter, and a send (through the SDK client against the built server) leaves the wake
 * to it. On the file bus and across two hosts of a PostgreSQL bus, where the sender's host cannot reach the pane.
 */
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { nudgeText } from "../../src/domain/NudgeText.js"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { hostEnv, pgHosts } from "../support/pg/pgHosts.js"
import { noPostgres } from "../support/pg/pgLayers.js"
import { fakeTuiCommand, pollUntil, readTuiLog, startTmuxServer, type TmuxServer } from "../support/tmuxServer.js"

const servers = serverPool()
const pg = pgHosts()
const tmuxServers: Array<TmuxServer> = []

afterEach(async () => {
  for (const server of tmuxServers.splice(0)) server.kill()
  await servers.closeAll()
  await pg.cleanUp()
  removeTempDirs()
})

const secret = "SECRET-PAYLOAD-5e1a $(touch /tmp/pwned)"

/** One wrapped runtime in a pane of its own tmux server: the fake TUI run by `helioy-bus run <runtime>`. */
const startWrapped = async (runtime: string, agentId: string, env: Record<string, string>) => {
  const root = makeTempDir(`helioy-wrapper-wake-${runtime}-`)
  const tmux = startTmuxServer(root)
  tmuxServers.push(tmux)
  const log = join(root, "tui.log")
  const busEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: root,
    HELIOY_BUS_DIR: join(root, "bus"),
    HELIOY_TMUX_BIN: tmux.bin,
    HELIOY_AGENT_ID: agentId,
    HELIOY_CODEX_DAEMON: "off",
    ...env
  }
  const paneId = tmux.newSession(runtime, [
    "env",
    ...Object.entries(busEnv).map(([name, value]) => `${name}=${value}`),
    process.execPath,
    busBin,
    "run",
    runtime,
    "--",
    ...fakeTuiCommand(root, log)
  ])
  await tmux.waitForPane(paneId, (text) => text.includes("fake-tui ready"), "the wrapped TUI to start")
  /** Whether the wrapper's waiter holds the agent's inbox, as `helioy-bus agents` shows it on that host. */
  const waiterArmed = () => {
    const listed = JSON.parse(
      execFileSync(process.execPath, [busBin, "agents", "--json"], { env: busEnv, encoding: "utf8" })
    ) as ReadonlyArray<{ readonly agent_id: string; readonly waiter: boolean }>
    return listed.some((agent) => agent.agent_id === agentId && agent.waiter)
  }
  await pollUntil(() => waiterArmed() ? true : undefined, `the wrapper's waiter of ${agentId}`)
  return { log, paneId, tmux }
}

/** Waits until the sender sees, in message_status, the recipient woken by a confirmed nudge. */
const confirmedNudge = (
  sender: { readonly ok: (name: string, args?: Record<string, unknown>) => Promise<Record<string, unknown>> },
  messageId: unknown,
  agentId: string
) =>
  Effect.runPromise(Effect.gen(function*() {
    for (;;) {
      const status = yield* Effect.promise(() => sender.ok("message_status", { message_id: messageId }))
      const recipients = status.recipients as ReadonlyArray<Record<string, unknown>>
      const woken = recipients.find((row) => row.agent_id === agentId && row.wake === "nudge")
      if (woken !== undefined) return woken
      yield* Effect.sleep("50 millis")
    }
  }))

/** What the TUI read: the fixed notice typed once, and Enter; never the content. */
const expectNoticeOnly = (log: string) => {
  const text = readTuiLog(log).map((chunk) => chunk.text).join("")
  expect(text).toBe(`${nudgeText}\r`)
  expect(text).not.toContain(secret)
}

describe("the launch wrapper wakes its own pane", () => {
  for (const runtime of ["grok", "codex"]) {
    it(`file bus: a wrapped ${runtime} holds its waiter, the sender types nothing, and the wrapper's typed notice starts a turn`, async () => {
      const wrapped = await startWrapped(runtime, "app:worker", {})
      const root = fs.realpathSync(join(wrapped.log, ".."))
      const sender = await servers.start({
        home: root,
        busDir: join(root, "bus"),
        agentId: "lead:planner",
        env: { HELIOY_TMUX_BIN: wrapped.tmux.bin }
      })
      await sender.ok("register_agent", { pwd: root, agent_id: "lead:planner" })
      const sent = await sender.ok("send_message", { to: "app:worker", content: secret })
      expect(sent).toMatchObject({
        delivered: true,
        wakes: [{ agent_id: "app:worker", wake: runtime === "codex" ? "daemon" : "nudge", pending: true }]
      })
      const woken = await confirmedNudge(sender, sent.message_id, "app:worker")
      expect(woken).toMatchObject({ state: "unread", wake: "nudge" })
      await pollUntil(() => readTuiLog(wrapped.log).some((chunk) => chunk.text === "\r") ? true : undefined, "Enter")
      expectNoticeOnly(wrapped.log)
    })
  }

  it.skipIf(noPostgres)(
    "PostgreSQL: a wrapped grok on host B is woken by its own wrapper for a send from host A",
    async () => {
      const schema = pg.freshSchema()
      const hostB = `host-b-${schema}`
      const wrapped = await startWrapped("grok", "api:worker", hostEnv(hostB, schema))
      const alice = await pg.host("host-a", schema)("web:frontend")
      await alice.ok("register_agent", { pwd: "/home/a/web", agent_id: "web:frontend" })
      const sent = await alice.ok("send_message", { to: "api:worker", content: secret })
      expect(sent).toMatchObject({
        delivered: true,
        wakes: [{ agent_id: "api:worker", wake: "nudge", pending: true }]
      })
      const woken = await confirmedNudge(alice, sent.message_id, "api:worker")
      expect(woken).toMatchObject({ state: "unread", wake: "nudge" })
      await pollUntil(() => readTuiLog(wrapped.log).some((chunk) => chunk.text === "\r") ? true : undefined, "Enter")
      expectNoticeOnly(wrapped.log)
    }
  )
})
