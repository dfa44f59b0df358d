/** The bus directory on a real file system: created private, refused when unsafe, never escaped by an agent id. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import { join, relative } from "node:path"
import { afterEach, it as plainIt } from "vitest"
import type { AgentId } from "../../src/domain/AgentId.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as BusDirLive from "../../src/layers/BusDirLive.js"
import * as Bus from "../../src/programs/bus.js"
import { makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"

const makeBusDir = (busDir: string) => BusDirLive.make.pipe(Effect.provide(BusConfigLive.layer({ busDir })))

const modeOf = (path: string) => fs.statSync(path).mode & 0o777

/** umask 0 for the length of the scope. */
const noUmask = Effect.acquireRelease(
  Effect.sync(() => process.umask(0)),
  (previous) => Effect.sync(() => process.umask(previous))
)

/** Every path under `root`, relative to it. */
const tree = (root: string): Array<string> =>
  (fs.readdirSync(root, { recursive: true }) as Array<string>).map((path) => String(path)).sort()

describe("creating the bus dir", () => {
  it.scoped("creates the bus dir and its subdirectories 0700 even with umask 0", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-busdir-")
      yield* noUmask
      const busDir = join(root, "deep", "bus")
      const dir = yield* makeBusDir(busDir)
      expect(modeOf(busDir)).toBe(0o700)
      for (const sub of [dir.inboxRoot, dir.pidsDir, dir.presetsDir]) expect(modeOf(sub)).toBe(0o700)
    }))

  it.scopedLive("inboxes and message files the bus writes are private even with umask 0", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-busdir-")
      yield* noUmask
      const busDir = join(root, "bus")
      const run = runOn(yield* buildLiveBus({ HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: "me:general" }))
      yield* run(Bus.registerAgent({ pwd: root, agent_id: "you:general" }))
      yield* run(Bus.sendMessage({ to: "you:general", content: "private" }))
      const inbox = join(busDir, "inbox", "you:general")
      expect(modeOf(inbox)).toBe(0o700)
      expect(modeOf(join(inbox, "archive"))).toBe(0o700)
      const [file] = fs.readdirSync(inbox).filter((name) => name.endsWith(".json"))
      expect(modeOf(join(inbox, file!))).toBe(0o600)
      expect(modeOf(busDir)).toBe(0o700)
    }))
})

/** Ways a bus dir can be unsafe, with the words the refusal must contain. */
const unsafeDirs: ReadonlyArray<{
  readonly name: string
  readonly prepare: (root: string) => { readonly busDir: string; readonly refused: string }
  readonly fix: RegExp
}> = [
  {
    name: "a symlink",
    prepare: (root) => {
      const real = join(root, "real")
      fs.mkdirSync(real, { mode: 0o700 })
      fs.symlinkSync(real, join(root, "bus"))
      return { busDir: join(root, "bus"), refused: join(root, "bus") }
    },
    fix: /symlink; point HELIOY_BUS_DIR at the real directory/
  },
  {
    name: "group-writable (0770)",
    prepare: (root) => {
      fs.mkdirSync(join(root, "bus"))
      fs.chmodSync(join(root, "bus"), 0o770)
      return { busDir: join(root, "bus"), refused: join(root, "bus") }
    },
    fix: /group- or world-writable \(mode 770\); run: chmod 700 /
  },
  {
    name: "world-writable (0707)",
    prepare: (root) => {
      fs.mkdirSync(join(root, "bus"))
      fs.chmodSync(join(root, "bus"), 0o707)
      return { busDir: join(root, "bus"), refused: join(root, "bus") }
    },
    fix: /group- or world-writable \(mode 707\); run: chmod 700 /
  },
  {
    name: "private, but its inbox/ is a symlink out of it",
    prepare: (root) => {
      fs.mkdirSync(join(root, "elsewhere"), { mode: 0o700 })
      fs.mkdirSync(join(root, "bus"), { mode: 0o700 })
      fs.symlinkSync(join(root, "elsewhere"), join(root, "bus", "inbox"))
      return { busDir: join(root, "bus"), refused: join(root, "bus", "inbox") }
    },
    fix: /symlink/
  },
  {
    name: "private, but its inbox/ is world-writable",
    prepare: (root) => {
      fs.mkdirSync(join(root, "bus"), { mode: 0o700 })
      fs.mkdirSync(join(root, "bus", "inbox"))
      fs.chmodSync(join(root, "bus", "inbox"), 0o777)
      return { busDir: join(root, "bus"), refused: join(root, "bus", "inbox") }
    },
    fix: /chmod 700 /
  }
]

describe("an unsafe bus dir", () => {
  for (const unsafe of unsafeDirs) {
    it.scoped(`is refused when it is ${unsafe.name}, naming the path and the fix, and left as it was`, () =>
      Effect.gen(function*() {
        const root = yield* tempDir("helioy-unsafe-")
        const { busDir, refused } = unsafe.prepare(root)
        const before = tree(root)
        const error = yield* Effect.flip(makeBusDir(busDir))
        expect(error._tag).toBe("BusDirRefused")
        expect(error.path).toBe(refused)
        expect(error.message).toContain(refused)
        expect(error.message).toMatch(unsafe.fix)
        expect(tree(root)).toEqual(before)
      }))
  }
})

describe("agent ids that would escape the inbox", () => {
  const escaping = ["../x", "../../x", "a/b", ".hidden", "..", "x/../../../escape", "a\\b", "/abs"]

  it.scopedLive("are refused by every tool and create nothing anywhere", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-escape-")
      const busDir = join(root, "bus")
      const run = runOn(yield* buildLiveBus({ HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: "me:general" }))
      yield* run(Bus.registerAgent({ pwd: root, agent_id: "me:general" }))
      const before = tree(root).filter((path) => !path.includes("registry.db"))

      for (const id of escaping) {
        const refusals = [
          Effect.flip(run(Bus.registerAgent({ pwd: root, agent_id: id }))),
          Effect.flip(run(Bus.sendMessage({ to: id, content: "hi" }))),
          Effect.flip(run(Bus.sendMessage({ to: "me:general", content: "hi", from_agent: id }))),
          Effect.flip(run(Bus.getMessages({ agent_id: id }))),
          Effect.flip(run(Bus.heartbeat(id))),
          Effect.flip(run(Bus.unregisterAgent(id)))
        ]
        for (const refusal of refusals) {
          const error: { readonly _tag: string } = yield* refusal
          expect(["InvalidInput", "RecipientNotFound"]).toContain(error._tag)
        }
      }
      expect(tree(root).filter((path) => !path.includes("registry.db"))).toEqual(before)
      const listed = yield* run(Bus.listAgents({}))
      expect(listed.map((agent) => agent.agent_id)).toEqual(["me:general"])
    }))

  it.scopedLive("a derived id (from pwd and tmux target) always names a directory directly inside inbox/", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-escape-")
      const busDir = join(root, "bus")
      const run = runOn(yield* buildLiveBus({ HELIOY_BUS_DIR: busDir, HELIOY_AGENT_ID: "me:general" }))
      for (
        const [pwd, target] of [["/srv/..", ""], ["/work/.secret", "a/b/x:0.0"], ["/a/b/", "s/\\x;y:1.2"]] as const
      ) {
        const { agent_id } = yield* run(Bus.registerAgent({ pwd, tmux_target: target }))
        const inbox = join(busDir, "inbox", agent_id)
        expect(fs.statSync(inbox).isDirectory()).toBe(true)
        expect(relative(join(busDir, "inbox"), inbox)).toBe(agent_id)
        expect(agent_id).not.toMatch(/^\.|\//)
      }
      expect(fs.readdirSync(root)).toEqual(["bus"])
    }))

  it.scoped("BusDir.inboxDir itself throws rather than return a path outside inbox/", () =>
    Effect.gen(function*() {
      const root = yield* tempDir("helioy-escape-")
      const dir = yield* makeBusDir(join(root, "bus"))
      for (const id of ["../x", "a/b", ".."]) {
        expect(Either.isLeft(Either.try(() => dir.inboxDir(id as AgentId)))).toBe(true)
      }
    }))
})

describe("the built server with an unsafe bus dir", () => {
  const servers = serverPool()
  afterEach(async () => {
    await servers.closeAll()
    removeTempDirs()
  })

  const everyTool: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
    ["whoami", {}],
    ["register_agent", { pwd: "/tmp" }],
    ["unregister_agent", { agent_id: "me:general" }],
    ["list_agents", {}],
    ["heartbeat", {}],
    ["send_message", { to: "*", content: "hi" }],
    ["get_messages", {}],
    ["message_status", { message_id: "m" }],
    ["acknowledge_message", { message_id: "m" }],
    ["get_thread", { thread_id: "t" }],
    ["search_messages", { query: "q" }]
  ]

  for (const unsafe of unsafeDirs.slice(0, 2)) {
    plainIt(`starts when the bus dir is ${unsafe.name}, and every tool answers with the refusal`, async () => {
      const root = makeTempDir("helioy-unsafe-e2e-")
      const { busDir, refused } = unsafe.prepare(root)
      const server = await servers.start({ home: root, busDir, agentId: "me:general" })
      const { tools } = await server.client.listTools()
      expect(tools).toHaveLength(everyTool.length)
      for (const [name, args] of everyTool) {
        const { message, structured } = await server.fails(name, args)
        expect(message).toContain(`refusing bus dir ${refused}`)
        expect(message).toMatch(unsafe.fix)
        expect(structured).toEqual({ error: message, type: "BusDirRefused", path: refused, reason: expect.any(String) })
      }
      expect(fs.existsSync(join(root, "real", "inbox"))).toBe(false)
    })
  }

  plainIt("picks up a bus dir fixed while it runs, without a restart", async () => {
    const root = makeTempDir("helioy-unsafe-e2e-")
    const busDir = join(root, "bus")
    fs.mkdirSync(busDir)
    fs.chmodSync(busDir, 0o770)
    const server = await servers.start({ home: root, busDir, agentId: "me:general" })
    expect((await server.fails("list_agents")).message).toMatch(/chmod 700/)
    fs.chmodSync(busDir, 0o700)
    expect(await server.ok("register_agent", { pwd: root, agent_id: "me:general" })).toMatchObject({
      agent_id: "me:general"
    })
  })
})
