/** The person's commands: `agents`, `send`, `inbox`, `read`, `status`, `tail`; each with `--json`. */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { BusLive, type BusServices } from "../layers/AppLive.js"
import { getMessages, messageStatus, sendMessage } from "../programs/bus.js"
import { ensureHuman, humanId } from "../programs/human/humanAgent.js"
import { agentsOverview, peekInbox } from "../programs/human/overview.js"
import { agentsTable, messageBlocks, statusLines } from "./humanOutput.js"
import { followBus } from "./tailCommand.js"

const json = Options.boolean("json").pipe(Options.withDescription("Print one JSON document instead of text."))

/** Runs a program on the live bus and prints its result (JSON or text); a failure prints `error: …` and exits 1. */
export const runHuman = <A, E>(
  program: Effect.Effect<A, E, BusServices>,
  asJson: boolean,
  text: (value: A) => string,
  exitCode: (value: A) => number = () => 0
) =>
  program.pipe(
    Effect.flatMap((value) =>
      Effect.zipRight(
        Console.log(asJson ? JSON.stringify(value) : text(value)),
        Effect.sync(() => {
          process.exitCode = exitCode(value)
        })
      )
    ),
    Effect.provide(BusLive),
    Effect.catchAll((error) =>
      Effect.zipRight(
        asJson
          ? Console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }))
          : Console.error(`error: ${error instanceof Error ? error.message : String(error)}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )

const agentArg = Args.text({ name: "agent" }).pipe(
  Args.withDescription("The agent (default: you, human:<user>)."),
  Args.optional
)
const agentOrHuman = (agent: Option.Option<string>) => Option.getOrElse(agent, () => humanId())

const agents = Command.make("agents", {
  filter: Options.text("filter").pipe(Options.withDefault(""), Options.withDescription("tmux session[:window].")),
  json
}, ({ filter, json }) => runHuman(agentsOverview(filter), json, agentsTable)).pipe(
  Command.withDescription("Who is on the bus: runtime, host, pane, last heartbeat, unread count, mail waiter.")
)

/** The message of `send`: the argument, or stdin for `-` or when no argument is given. */
const readContent = (message: Option.Option<string>) =>
  Option.isSome(message) && message.value !== "-"
    ? Effect.succeed(message.value)
    : Effect.promise(async () => {
      const chunks: Array<Buffer> = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString("utf8").replace(/\n$/, "")
    })

const send = Command.make("send", {
  to: Args.text({ name: "to" }).pipe(Args.withDescription("An agent id, role:<type>, * or a ';'-separated list.")),
  message: Args.text({ name: "message" }).pipe(
    Args.withDescription("The message; '-' or none reads stdin."),
    Args.optional
  ),
  topic: Options.text("topic").pipe(Options.withDefault(""), Options.withDescription("A topic readers can filter on.")),
  urgent: Options.boolean("urgent").pipe(Options.withDescription("Send it as urgent.")),
  replyTo: Options.text("reply-to").pipe(
    Options.withDefault(""),
    Options.withDescription("The message_id this answers (the reply joins its thread).")
  ),
  ackRequired: Options.boolean("ack").pipe(Options.withDescription("Ask the recipients to acknowledge it.")),
  from: Options.text("from").pipe(
    Options.withDefault(""),
    Options.withDescription("Send as this id (default human:<user>).")
  ),
  json
}, ({ ackRequired, from, json, message, replyTo, to, topic, urgent }) =>
  runHuman(
    Effect.gen(function*() {
      const content = yield* readContent(message)
      const sender = yield* ensureHuman(from, process.cwd())
      return yield* sendMessage({
        to,
        content,
        from_agent: sender,
        topic,
        in_reply_to: replyTo,
        priority: urgent ? "urgent" : "normal",
        ack_required: ackRequired
      })
    }),
    json,
    (sent) =>
      `sent ${sent.message_id} to ${sent.recipients.join(", ")}${
        sent.failed === undefined ? "" : `; not to ${sent.failed.map((failure) => failure.to).join(", ")}`
      }`,
    (sent) => sent.delivered ? 0 : 1
  )).pipe(Command.withDescription("Send a message as human:<user> (registered when needed, so agents can answer)."))

const inbox = Command.make(
  "inbox",
  { agent: agentArg, json },
  ({ agent, json }) => runHuman(peekInbox(agentOrHuman(agent)), json, messageBlocks)
).pipe(
  Command.withDescription("An agent's unread messages, in full, without reading them (nothing is claimed).")
)

const read = Command.make("read", { agent: agentArg, json }, ({ agent, json }) =>
  runHuman(
    Effect.map(getMessages({ agent_id: agentOrHuman(agent) }), (got) => ({
      messages: got.messages,
      remaining: got.remaining
    })),
    json,
    (got) => messageBlocks(got.messages)
  )).pipe(Command.withDescription("Read and claim an agent's unread messages, as get_messages does."))

const status = Command.make(
  "status",
  {
    messageId: Args.text({ name: "message_id" }),
    as: Options.text("as").pipe(
      Options.withDefault(""),
      Options.withDescription("See it as this agent (its sender or a recipient; default human:<user>).")
    ),
    json
  },
  ({ as, json, messageId }) =>
    runHuman(messageStatus({ message_id: messageId, agent_id: as === "" ? humanId() : as }), json, statusLines)
).pipe(
  Command.withDescription("What happened to a message: each recipient's state, wake, read and acknowledgement.")
)

const tail = Command.make("tail", {
  agent: Options.text("agent").pipe(Options.withDefault(""), Options.withDescription("Only this agent's mail.")),
  topic: Options.text("topic").pipe(Options.withDefault(""), Options.withDescription("Only this topic.")),
  json: Options.boolean("json").pipe(Options.withDescription("One JSON line per event."))
}, (options) => followBus(options)).pipe(
  Command.withDescription("Follow deliveries, reads and wakes live, until interrupted.")
)

const dashboard = Command.make(
  "dashboard",
  {
    port: Options.integer("port").pipe(
      Options.optional,
      Options.withDescription("The port (default 4780, or a free one).")
    ),
    noOpen: Options.boolean("no-open").pipe(Options.withDescription("Do not open a browser."))
  },
  (options) =>
    Effect.flatMap(
      Effect.promise(() => import("./dashboard/dashboardCommand.js")),
      (module) => module.runDashboard(options)
    )
).pipe(
  Command.withDescription(
    "A live page of the bus on 127.0.0.1: agents, messages and their paths, warrooms; send from it."
  )
)

/** The person's commands. */
export const humanCommands = [agents, send, inbox, read, status, tail, dashboard] as const
