/**
 * Warrooms against a real tmux server on a private socket and a real registry.db: the panes, their commands,
 * environments, directories and titles, and what status, remove and kill do to them.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import * as Warroom from "../../src/programs/warroom/index.js"
import { Registry } from "../../src/services/Registry.js"
import { Tmux } from "../../src/services/Tmux.js"
import { Warrooms } from "../../src/services/Warrooms.js"
import { tmuxServer } from "../support/tmuxServer.js"
import { explicitRegistration } from "../support/unitFixtures.js"
import { buildLiveBus, runOn, tempDir } from "./liveBus.js"

/** A fake runtime: prints what a real one would be launched with, then waits. Run as ONE argv element (no args). */
const fakeRuntime = `#!/bin/sh
printf 'ID=%s\\nTYPE=%s\\nRT=%s\\nBUS=%s\\nEXTRA=%s\\nPWD=%s\\nARGS=%s\\nREADY\\n' "$HELIOY_AGENT_ID" "$HELIOY_BUS_AGENT_TYPE" \\
  "$HELIOY_RUNTIME" "$HELIOY_BUS_DIR" "$EXTRA" "$(pwd)" "$*"
exec sleep 600
`

const warroomFixture = Effect.gen(function*() {
  const root = yield* tempDir("helioy-warroom-")
  const tmux = yield* tmuxServer(root)
  const busDir = join(root, "bus")
  const runtime = join(root, "fake runtime")
  fs.writeFileSync(runtime, fakeRuntime, { mode: 0o755 })
  const dirs = { proj: join(root, "proj"), odd: join(root, "odd #{pane_id} dir"), api: join(root, "api") }
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir)
  const services = yield* buildLiveBus({
    HELIOY_BUS_DIR: busDir,
    HELIOY_AGENT_ID: "lead:general",
    HELIOY_TMUX_BIN: tmux.bin
  })
  tmux.newSession("work", ["sleep", "600"])
  /** A member whose pane runs the fake runtime; `args` arrive as separate argv, never through a shell. */
  const member = (role: string, cwd: string, args: ReadonlyArray<string> = []) => ({
    role,
    runtime: "claude",
    launch: { command: runtime, args, env: { EXTRA: "two words; $(touch pwned)" }, program: "" },
    cwd
  })
  const windows = () => tmux.run("list-windows", "-t", "=work", "-F", "#{window_name}").trim().split("\n")
  const panesOf = (window: string) =>
    tmux.run("list-panes", "-t", window, "-F", "#{pane_id}\t#{pane_title}\t#{pane_index}").trim().split("\n").map((
      line
    ) => line.split("\t"))
  return { root, tmux, busDir, dirs, member, run: runOn(services), windows, panesOf }
})

describe("warroom on a real tmux server (live layers)", () => {
  it.scopedLive("spawns three panes with their commands, environments, directories and titles; status, remove and kill follow them", () =>
    Effect.gen(function*() {
      const { busDir, dirs, member, panesOf, root, run, tmux, windows } = yield* warroomFixture
      const spawned = yield* run(Warroom.spawn({
        name: "alpha",
        members: [
          member("helioy-tools:backend", dirs.proj),
          member("qa", dirs.odd, ["--agent", "qa; rm -rf ~"]),
          member("general", dirs.api)
        ],
        cwd: dirs.proj,
        layout: "tiled",
        session: "work"
      }))
      expect(windows()).toHaveLength(2)
      expect(windows()[1]).toBe("alpha")
      const ids = spawned.members.map((m) => m.pane_id)
      const window = tmux.run("display-message", "-p", "-t", ids[0]!, "#{window_id}").trim()
      expect(panesOf(window).map(([paneId]) => paneId)).toEqual(ids)
      expect(spawned.members.map((m) => m.tmux_target)).toEqual(["work:1.0", "work:1.1", "work:1.2"])
      expect(panesOf(window).map(([, title]) => title)).toEqual([
        "proj:helioy-tools:backend:work:1.0",
        "odd-#{pane_id}-dir:qa:work:1.1",
        "api:general:work:1.2"
      ])
      expect(tmux.run("show-options", "-w", "-v", "-t", window, "allow-rename").trim()).toBe("off")

      const expected = [
        ["proj:helioy-tools:backend:alpha.0", "helioy-tools:backend", dirs.proj, ""],
        ["odd-#{pane_id}-dir:qa:alpha.1", "qa", dirs.odd, "--agent qa; rm -rf ~"],
        ["api:general:alpha.2", "general", dirs.api, ""]
      ] as const
      for (const [i, [agentId, type, cwd, args]] of expected.entries()) {
        const screen = yield* Effect.promise(() =>
          tmux.waitForPane(ids[i]!, (text) => text.includes("READY"), `member ${i} to start`)
        )
        expect(screen).toContain(
          `ID=${agentId}\nTYPE=${type}\nRT=claude\nBUS=${busDir}\nEXTRA=two words; $(touch pwned)\nPWD=${cwd}\nARGS=${args}\n`
        )
        expect(spawned.members[i]!.agent_id).toBe(agentId)
      }
      expect(fs.existsSync(join(root, "pwned"))).toBe(false)

      yield* run(
        Effect.flatMap(Registry, (registry) =>
          Effect.forEach([0, 1], (i) =>
            registry.register(
              explicitRegistration(expected[i]![0], { paneId: ids[i]!, tmuxTarget: `work:1.${i}` }),
              Option.none(),
              "2026-03-16T12:00:00.000000+00:00"
            )))
      )
      tmux.run("kill-pane", "-t", ids[1]!)
      const [view] = yield* run(Warroom.status())
      expect(view!.members.map((m) => [m.pane_alive, m.registered, m.agent_instance_id])).toEqual([
        [true, true, expected[0][0]],
        [false, false, null],
        [true, false, null]
      ])
      expect(view!.members[0]!.last_seen).toBe("2026-03-16T12:00:00.000000+00:00")
      expect(view!.members[2]!.tmux_target).toBe("work:1.1")
      const agents = yield* run(Effect.flatMap(Registry, (registry) => registry.list))
      expect(agents.map((row) => row.agent_id)).toEqual([expected[0][0]])

      const removed = yield* run(Warroom.remove("alpha", { role: "general" }))
      expect(removed).toMatchObject({ remaining_members: 2, warroom_killed: false })
      expect(panesOf(window).map(([paneId]) => paneId)).toEqual([ids[0]])

      const killed = yield* run(Warroom.kill({ name: "alpha" }))
      expect(killed).toEqual({ killed: ["alpha"], errors: [] })
      expect(windows()).not.toContain("alpha")
      expect(yield* run(Effect.flatMap(Registry, (registry) => registry.list))).toEqual([])
      expect(yield* run(Effect.flatMap(Warrooms, (warrooms) => warrooms.list))).toEqual([])
    }))

  it.scopedLive("an invalid name, too many members or a bad layout creates no window and no record", () =>
    Effect.gen(function*() {
      const { dirs, member, run, windows } = yield* warroomFixture
      const before = windows()
      const base = { members: [member("a", dirs.proj)], cwd: dirs.proj, layout: "tiled", session: "work" }
      const attempts = [
        { ...base, name: "no spaces" },
        { ...base, name: "big", members: Array.from({ length: 9 }, (_, i) => member(`r${i}`, dirs.proj)) },
        { ...base, name: "odd", layout: "spiral" }
      ]
      const tags = []
      for (const attempt of attempts) tags.push((yield* run(Effect.flip(Warroom.spawn(attempt))))._tag)
      expect(tags).toEqual(["InvalidWarroomName", "InvalidAgentCount", "InvalidLayout"])
      expect(windows()).toEqual(before)
      expect(yield* run(Effect.flatMap(Warrooms, (warrooms) => warrooms.list))).toEqual([])
    }))

  it.scopedLive("a session that does not exist fails the spawn and leaves nothing", () =>
    Effect.gen(function*() {
      const { dirs, member, run, tmux } = yield* warroomFixture
      const error = yield* run(
        Effect.flip(
          Warroom.spawn({
            name: "beta",
            members: [member("a", dirs.proj)],
            cwd: dirs.proj,
            layout: "tiled",
            session: "wor"
          })
        )
      )
      expect(error._tag).toBe("SpawnFailed")
      expect(error.message).toContain("can't find session")
      expect(tmux.run("list-windows", "-a", "-F", "#{window_name}").trim().split("\n")).toHaveLength(1)
      expect(yield* run(Effect.flatMap(Warrooms, (warrooms) => warrooms.list))).toEqual([])
    }))

  it.scopedLive("windowOf and sessionOfPane answer for a live pane and fail for a missing one (tmux itself exits 0 there)", () =>
    Effect.gen(function*() {
      const { run, tmux } = yield* warroomFixture
      const paneId = tmux.newSession("other", ["sleep", "600"])
      const windowId = tmux.run("display-message", "-p", "-t", paneId, "#{window_id}").trim()
      const answers = yield* run(Effect.flatMap(Tmux, (t) => Effect.all([t.windowOf(paneId), t.sessionOfPane(paneId)])))
      expect(answers).toEqual([windowId, "other"])
      const missing = yield* run(
        Effect.flatMap(Tmux, (t) => Effect.all([Effect.flip(t.windowOf("%999")), Effect.flip(t.sessionOfPane("%999"))]))
      )
      expect(missing.map((error) => error._tag)).toEqual(["TmuxCommandFailed", "TmuxCommandFailed"])
      const killMissing = yield* run(Effect.flatMap(Tmux, (t) => Effect.flip(t.killPane("%999"))))
      expect(killMissing._tag).toBe("TmuxCommandFailed")
    }))
})
