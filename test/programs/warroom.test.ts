import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { maxMembers, messagingInstruction, windowIdOf } from "../../src/domain/Warroom.js"
import * as AppTest from "../../src/layers/AppTest.js"
import * as Warroom from "../../src/programs/warroom/index.js"
import { Registry } from "../../src/services/Registry.js"
import { Warrooms } from "../../src/services/Warrooms.js"
import { seedAgent } from "../support/unitBus.js"
import {
  callsOf,
  clearCalls,
  failAfter,
  launchOf,
  member,
  simulatedPanes,
  simulatedWindows,
  spawnInput,
  spawnTrio
} from "../support/warroomFixtures.js"

const bus = AppTest.layerTest({ selfId: "lead:general" })
const paneOps = [
  "newWindow",
  "splitWindow",
  "selectLayout",
  "setPaneTitle",
  "setWindowOption",
  "killPane",
  "killWindow"
] as const
const stored = (name: string) => Effect.flatMap(Warrooms, (warrooms) => warrooms.get(name))

describe("warroom spawn", () => {
  it.effect("opens one window with the first member, splits after the previous pane for each other, and records them by pane id", () =>
    Effect.gen(function*() {
      const result = yield* spawnTrio
      const [window] = yield* simulatedWindows
      expect(window).toMatchObject({ session: "work", name: "alpha", paneIds: ["%1", "%2", "%3"], layout: "tiled" })
      expect(window!.options).toEqual({ "allow-rename": "off", "remain-on-exit": "off" })
      const created = yield* callsOf("newWindow", "splitWindow")
      expect(created.map((call) => [call.op, call.target])).toEqual([
        ["newWindow", "work"],
        ["splitWindow", "%1"],
        ["splitWindow", "%2"]
      ])
      expect(result).toMatchObject({ warroom_id: "alpha", tmux_window: "alpha" })
      expect(result.members.map((m) => [m.pane_id, m.tmux_target, m.spawn_order, m.desired_role, m.runtime])).toEqual([
        ["%1", "work:1.0", 0, "helioy-tools:backend", "claude"],
        ["%2", "work:1.1", 1, "qa", "codex"],
        ["%3", "work:1.2", 2, "general", "claude"]
      ])
      expect(result.members[0]).toMatchObject({
        agent_type: "backend",
        qualified_name: "helioy-tools:backend",
        agent_id: "proj:helioy-tools:backend:alpha.0"
      })
      expect(result.members[0]!.warroom_member_id).toMatch(/^[0-9a-f]{16}$/)
      expect(result.messaging).toEqual({
        instruction: messagingInstruction,
        member_types: ["helioy-tools:backend", "qa", "general"]
      })
      expect(result.spawned_at).toMatch(/^1970-01-01T00:00:00/)
      const record = Option.getOrThrow(yield* stored("alpha"))
      expect(record).toMatchObject({
        tmux_session: "work",
        tmux_window: "alpha",
        cwd: "/work/proj",
        layout: "tiled",
        status: "active"
      })
      expect(windowIdOf(record)).toBe(window!.windowId)
      expect(record.members.map((m) => [m.warroom_member_id, m.pane_id, m.state])).toEqual(
        result.members.map((m) => [m.warroom_member_id, m.pane_id, "pending"])
      )
    }).pipe(Effect.provide(bus)))

  it.effect("each pane execs its runtime as argv with the bus variables, in its member's directory", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(
        spawnInput("beta", [member("helioy-tools:backend"), member("general", { cwd: "/work/other" })])
      )
      const first = (yield* launchOf("%1"))!
      // The first pane holds its command until the window's options are set, then execs it, with nothing parsed.
      const [shell, flag, script, channel, ...command] = first.command
      expect([shell, flag, script]).toEqual(["/bin/sh", "-c", "tmux wait-for \"$0\"; exec \"$@\""])
      expect(command).toEqual(["claude", "--agent", "helioy-tools:backend"])
      expect(yield* callsOf("signal")).toEqual([expect.objectContaining({ target: channel })])
      expect(first.cwd).toBe("/work/proj")
      expect(first.env).toMatchObject({
        HELIOY_AGENT_ID: "proj:helioy-tools:backend:beta.0",
        HELIOY_BUS_AGENT_TYPE: "helioy-tools:backend",
        HELIOY_RUNTIME: "claude",
        HELIOY_BUS_DIR: "/nonexistent/helioy-bus"
      })
      const second = (yield* launchOf("%2"))!
      expect(second.command).toEqual(["claude"])
      expect(second).toMatchObject({
        cwd: "/work/other",
        env: { HELIOY_AGENT_ID: "other:general:beta.1", HELIOY_BUS_AGENT_TYPE: "general" }
      })
      expect(yield* callsOf("typeLiteral", "pressEnter")).toEqual([])
    }).pipe(Effect.provide(bus)))

  it.effect("titles each pane {repo}:{role}:{session}:{window}.{pane} and reapplies the layout after every split", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("gamma", [member("a"), member("b"), member("c")], { layout: "main-vertical" }))
      expect((yield* simulatedPanes).map((pane) => pane.title)).toEqual([
        "proj:a:work:1.0",
        "proj:b:work:1.1",
        "proj:c:work:1.2"
      ])
      expect((yield* callsOf("selectLayout")).map((call) => call.text)).toEqual([
        "main-vertical",
        "main-vertical",
        "main-vertical"
      ])
    }).pipe(Effect.provide(bus)))

  it.effect("spawning an existing name kills the old window and its agents' registrations first, leaving one record", () =>
    Effect.gen(function*() {
      const first = yield* spawnTrio
      yield* seedAgent("proj:helioy-tools:backend:alpha.0", { paneId: "%1" })
      yield* seedAgent("bystander", { paneId: "%99" })
      const second = yield* Warroom.spawn(spawnInput("alpha", [member("solo")]))
      expect(yield* callsOf("killWindow")).toEqual([{ op: "killWindow", target: "@1" }])
      expect((yield* simulatedWindows).map((w) => [w.windowId, w.paneIds])).toEqual([["@2", ["%4"]]])
      expect((yield* Effect.flatMap(Registry, (r) => r.list)).map((row) => row.agent_id)).toEqual(["bystander"])
      const record = Option.getOrThrow(yield* stored("alpha"))
      expect(record.members.map((m) => m.warroom_member_id)).toEqual([second.members[0]!.warroom_member_id])
      expect(first.members.map((m) => m.warroom_member_id)).not.toContain(second.members[0]!.warroom_member_id)
    }).pipe(Effect.provide(bus)))

  const rejected: ReadonlyArray<readonly [string, Parameters<typeof Warroom.spawn>[0], string, string]> = [
    [
      "a name with a space",
      spawnInput("bad name", [member("a")]),
      "InvalidWarroomName",
      "Name must be 1-30 chars, alphanumeric and hyphens, starting with alphanumeric."
    ],
    [
      "a name starting with a hyphen",
      spawnInput("-x", [member("a")]),
      "InvalidWarroomName",
      "starting with alphanumeric"
    ],
    ["a 31-character name", spawnInput("a".repeat(31), [member("a")]), "InvalidWarroomName", "1-30 chars"],
    ["no members", spawnInput("ok", []), "InvalidAgentCount", "At least one agent type is required."],
    [
      "nine members",
      spawnInput("ok", Array.from({ length: maxMembers + 1 }, (_, i) => member(`r${i}`))),
      "InvalidAgentCount",
      "Maximum 8 agents per warroom."
    ],
    [
      "an unknown layout",
      spawnInput("ok", [member("a")], { layout: "spiral" }),
      "InvalidLayout",
      "Invalid layout. Choose from: even-horizontal, even-vertical, main-horizontal, main-vertical, tiled"
    ],
    ["no session", spawnInput("ok", [member("a")], { session: " " }), "InvalidInput", "Warroom spawn requires tmux."],
    [
      "an unknown runtime (after valid members)",
      spawnInput("ok", [member("a"), member("b", { runtime: "vim" })]),
      "InvalidMember",
      "Unknown runtime 'vim'. Known: [claude, claude-opus, codex, gemini, generic, grok, grok-fast]"
    ],
    [
      "a runtime with no launch command",
      spawnInput("ok", [member("a", { runtime: "generic" })]),
      "InvalidMember",
      "no launch command"
    ],
    [
      "a relative member directory",
      spawnInput("ok", [member("a", { cwd: "proj" })]),
      "InvalidMember",
      "not an absolute path"
    ],
    ["a role with a slash", spawnInput("ok", [member("a/b")]), "InvalidMember", "a role is an agent type"],
    [
      "a role too long for an agent id",
      spawnInput("ok", [member("r".repeat(200))]),
      "InvalidMember",
      "agent id would be unusable"
    ]
  ]
  for (const [what, input, tag, text] of rejected) {
    it.effect(`${what} is rejected before any pane exists`, () =>
      Effect.gen(function*() {
        yield* Warroom.spawn(spawnInput("ok", [member("a")]))
        yield* clearCalls
        const error = yield* Effect.flip(Warroom.spawn(input))
        expect(error._tag).toBe(tag)
        expect(error.message).toContain(text)
        expect(yield* callsOf(...paneOps)).toEqual([])
        expect(Option.isSome(yield* stored("ok"))).toBe(true)
      }).pipe(Effect.provide(bus)))
  }

  it.effect("a split failing part-way closes the window it opened and records nothing", () =>
    Effect.gen(function*() {
      yield* failAfter("splitWindow", 1)
      const error = yield* Effect.flip(spawnTrio)
      expect(error._tag).toBe("SpawnFailed")
      expect(error.message).toContain("Spawn failed: tmux splitWindow failed")
      expect(yield* callsOf("killWindow")).toEqual([{ op: "killWindow", target: "@1" }])
      expect(yield* simulatedWindows).toEqual([])
      expect(yield* simulatedPanes).toEqual([])
      expect(yield* stored("alpha")).toEqual(Option.none())
    }).pipe(Effect.provide(bus)))

  it.effect("a window that cannot be opened leaves nothing behind", () =>
    Effect.gen(function*() {
      yield* failAfter("newWindow", 0)
      const error = yield* Effect.flip(spawnTrio)
      expect(error._tag).toBe("SpawnFailed")
      expect(yield* callsOf("splitWindow", "killWindow")).toEqual([])
      expect(yield* Effect.flatMap(Warrooms, (w) => w.list)).toEqual([])
    }).pipe(Effect.provide(bus)))
})

describe("warroom kill", () => {
  it.effect("kills the window, deletes the members' registrations and the record", () =>
    Effect.gen(function*() {
      yield* spawnTrio
      yield* seedAgent("proj:qa:alpha.1", { paneId: "%2" })
      yield* seedAgent("elsewhere", { paneId: "%42" })
      yield* clearCalls
      expect(yield* Warroom.kill({ name: "alpha" })).toEqual({ killed: ["alpha"], errors: [] })
      expect(yield* callsOf("killWindow")).toEqual([{ op: "killWindow", target: "@1" }])
      expect(yield* simulatedPanes).toEqual([])
      expect((yield* Effect.flatMap(Registry, (r) => r.list)).map((row) => row.agent_id)).toEqual(["elsewhere"])
      expect(yield* stored("alpha")).toEqual(Option.none())
    }).pipe(Effect.provide(bus)))

  it.effect("kill all removes every warroom, killed ones included; an unknown name kills nothing; an empty one is an error", () =>
    Effect.gen(function*() {
      yield* Warroom.spawn(spawnInput("one", [member("a")]))
      yield* Warroom.spawn(spawnInput("two", [member("b")]))
      yield* Effect.flatMap(Warrooms, (w) => w.close("two"))
      expect(yield* Warroom.kill({ name: "three" })).toEqual({ killed: [], errors: [] })
      const empty = yield* Effect.flip(Warroom.kill({ name: "" }))
      expect(empty.message).toContain("Provide a warroom name or set kill_all=True.")
      expect((yield* Warroom.kill({ all: true })).killed).toEqual(["one", "two"])
      expect(yield* Effect.flatMap(Warrooms, (w) => w.list)).toEqual([])
      expect(yield* simulatedWindows).toEqual([])
    }).pipe(Effect.provide(bus)))
})

describe("warroom spawn checks that each member can start, before any pane opens", () => {
  const bypass = {
    claudeMode: "bypassPermissions" as const,
    codexSandbox: "default" as const,
    codexApproval: "default" as const
  }

  it.effect("a Claude Code member in bypassPermissions mode is refused for root, and nothing opens", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip(
        Warroom.spawn(spawnInput("root", [member("general", { permissions: bypass })]))
      )
      expect(failure).toMatchObject({
        _tag: "InvalidMember",
        reason: expect.stringContaining("refuses the bypassPermissions mode for root")
      })
      expect(yield* simulatedWindows).toEqual([])
    }).pipe(Effect.provide(AppTest.layerTest({ selfId: "lead:general", userId: 0 }))))

  it.effect("the same member starts for another user", () =>
    Effect.gen(function*() {
      const spawned = yield* Warroom.spawn(spawnInput("user", [member("general", { permissions: bypass })]))
      expect(spawned.members).toHaveLength(1)
    }).pipe(Effect.provide(AppTest.layerTest({ selfId: "lead:general", userId: 1000 }))))
})
