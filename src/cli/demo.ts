import { Console, Duration, Effect, Either, Schema } from "effect"
import * as fs from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { nudgeText } from "../domain/NudgeText.js"
import { DemoFailed } from "../errors/demo.js"
import { callTool, type DemoServer, demoServer, reasonOf } from "./demoServer.js"
import { awaitPaneText, type ScratchTmux, scratchTmux, tmuxAvailable } from "./demoTmux.js"

const Registered = Schema.Struct({ agent_id: Schema.String })
const Agents = Schema.Struct({
  result: Schema.Array(Schema.Struct({ agent_id: Schema.String, agent_type: Schema.String }))
})
const Sent = Schema.Struct({ recipients: Schema.Array(Schema.String), nudged: Schema.Boolean })
const Inbox = Schema.Struct({ result: Schema.Array(Schema.Struct({ from: Schema.String, content: Schema.String })) })

/** A fresh temporary directory, removed with all it holds when the scope closes; fails with DemoFailed. */
const tempRoot = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => fs.mkdtemp(join(tmpdir(), "helioy-demo-")),
    catch: (error) => new DemoFailed({ step: "creating a temporary directory", reason: reasonOf(error) })
  }),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

/** Runs `effect` and prints one transcript line: `label`, how long it took, and a note on its result. */
const step = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>, note: (value: A) => string = () => "") =>
  Effect.gen(function*() {
    const [took, value] = yield* Effect.timed(effect)
    const millis = `${Duration.toMillis(took).toFixed(1)} ms`
    const text = note(value)
    yield* Console.log(`  ${label.padEnd(46)} ${millis.padStart(9)}${text === "" ? "" : `   ${text}`}`)
    return value
  })

const send = (from: DemoServer, to: string, content: string, kind: string) =>
  step(
    `${from.agentId} -> ${to} (${kind})`,
    callTool(from, "send_message", { to, content }, Sent),
    (sent) => `reached ${sent.recipients.join(", ")}`
  )

const readInbox = (server: DemoServer) =>
  Effect.gen(function*() {
    const inbox = yield* step(
      `${server.agentId} reads its messages`,
      callTool(server, "get_messages", {}, Inbox),
      (got) => `${got.result.length} message(s)`
    )
    for (const message of inbox.result) yield* Console.log(`      from ${message.from}: "${message.content}"`)
  })

/** Registers dave (runtime claude) in the stand-in pane, messages him, and shows the notice typed into his pane. */
const nudgeDemo = (sender: DemoServer, busDir: string, root: string, tmux: ScratchTmux) =>
  Effect.gen(function*() {
    const content = "the deploy key rotates at noon"
    yield* Console.log(
      `\nwake-up: scratch tmux server on a private socket; pane ${tmux.paneId} runs \`cat\` as dave's UI`
    )
    const dave = yield* step("started dave's bus server", demoServer("dave", busDir, tmux.env))
    const register = { pwd: root, agent_id: "dave", runtime: "grok", pane_id: tmux.paneId, tmux_target: tmux.target }
    yield* step(
      `dave registered (runtime grok, pane ${tmux.paneId})`,
      callTool(dave, "register_agent", register, Registered)
    )
    const sent = yield* step(
      `${sender.agentId} -> dave`,
      callTool(sender, "send_message", { to: "dave", content }, Sent),
      (result) => `nudged: ${result.nudged ? "yes (the send waits ~150 ms between the notice and Enter)" : "no"}`
    )
    const pane = yield* awaitPaneText(tmux, nudgeText)
    yield* Console.log(
      `  pane ${tmux.paneId} now shows (the terminal echoes the typed notice, then \`cat\` repeats it after Enter):`
    )
    for (const line of pane.text.split("\n").filter((text) => text.trim() !== "")) yield* Console.log(`    | ${line}`)
    const leaked = pane.text.includes(content)
    yield* Console.log(
      `  fixed notice landed: ${pane.landed ? "yes" : "no"}; message text in the pane: ${leaked ? "YES" : "no"}`
    )
    if (!sent.nudged || !pane.landed || leaked) {
      return yield* new DemoFailed({ step: "nudging dave", reason: "the pane does not show exactly the fixed notice" })
    }
    yield* readInbox(dave)
  })

/** The scratch tmux server, or why there is none (tmux missing or unable to start); never fails. */
const startTmux = (root: string) =>
  Effect.gen(function*() {
    if (!(yield* tmuxAvailable)) return Either.left("tmux is not on PATH (install tmux to see a nudge land in a pane)")
    return yield* scratchTmux(root).pipe(
      Effect.map(Either.right),
      Effect.catchAll((error) => Effect.succeed(Either.left(`tmux could not start a scratch server: ${error.reason}`)))
    )
  })

const demoOnBus = Effect.gen(function*() {
  const root = yield* tempRoot
  const busDir = join(root, "bus")
  const tmux = yield* startTmux(root)
  const env = Either.match(tmux, { onLeft: () => ({}), onRight: (scratch) => scratch.env })
  yield* Console.log(`helioy-bus demo: three agents on a temporary bus at ${busDir}\n`)
  const servers = yield* step(
    "started 3 bus servers (alice, bob, carol)",
    Effect.all([demoServer("alice", busDir, env), demoServer("bob", busDir, env), demoServer("carol", busDir, env)], {
      concurrency: "unbounded"
    })
  )
  const [alice, bob, carol] = servers
  const team = [[alice, "backend-engineer"], [bob, "frontend-engineer"], [carol, "reviewer"]] as const
  for (const [server, agentType] of team) {
    const args = { pwd: root, agent_id: server.agentId, agent_type: agentType }
    yield* step(`${server.agentId} registered as ${agentType}`, callTool(server, "register_agent", args, Registered))
  }
  yield* step(
    "bob lists the agents",
    callTool(bob, "list_agents", {}, Agents),
    (listed) => listed.result.map((agent) => `${agent.agent_id} (${agent.agent_type})`).join(", ")
  )
  yield* send(alice, "bob", "The /orders API now returns cursor pagination.", "direct")
  yield* send(bob, "role:reviewer", "Please review the new orders table UI.", "role")
  yield* send(carol, "*", "Reviews are done for today; merging at 17:00.", "broadcast")
  for (const server of servers) yield* readInbox(server)
  yield* Either.match(tmux, {
    onLeft: (reason) => Console.log(`\nwake-up: skipped, ${reason}`),
    onRight: (scratch) => nudgeDemo(alice, busDir, root, scratch)
  })
  const killing = Either.isRight(tmux) ? "killing the tmux server, " : ""
  yield* Console.log(`\ncleaning up: closing the servers, ${killing}removing the temporary directory`)
})

/**
 * `helioy-bus demo`: real bus servers in a temporary bus dir, with a printed transcript; fails with DemoFailed, after
 * cleaning up.
 */
export const runDemo = Effect.gen(function*() {
  const [took] = yield* Effect.timed(Effect.scoped(demoOnBus))
  yield* Console.log(`done in ${Duration.toMillis(took).toFixed(0)} ms`)
})
