import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { planRegistration } from "../../src/domain/Registration.js"
import { agentRow, explicitRegistration, registration } from "../support/unitFixtures.js"

const now = "2026-03-16T12:30:00.000000+00:00"
const unknownLiveness = Option.none<ReadonlySet<string>>()
const live = (...panes: ReadonlyArray<string>) => Option.some<ReadonlySet<string>>(new Set(panes))

describe("planRegistration", () => {
  describe("continuity", () => {
    it("a pane re-registering from the same directory keeps its id and type", () => {
      const prior = agentRow("proj:reviewer:s:0.1", { pane_id: "%5", cwd: "/work/proj", agent_type: "reviewer" })
      const plan = planRegistration(
        registration({ paneId: "%5", cwd: "/work/proj", tmuxTarget: "s:0.2" }),
        [prior],
        unknownLiveness,
        now
      )
      expect(plan.row).toMatchObject({ agent_id: "proj:reviewer:s:0.1", agent_type: "reviewer", tmux_target: "s:0.2" })
      expect(plan.evicted).toEqual([])
    })

    it("a pane re-registering from the same process keeps its id and its directory", () => {
      const prior = agentRow("other:general", { pane_id: "%5", cwd: "/work/other", pid: 42 })
      const plan = planRegistration(
        registration({ paneId: "%5", cwd: "/work/proj", pid: 42 }),
        [prior],
        unknownLiveness,
        now
      )
      expect(plan.row).toMatchObject({ agent_id: "other:general", cwd: "/work/other" })
    })

    it("a pane with a new directory and process gets a fresh id and the old row is evicted", () => {
      const prior = agentRow("other:general", { pane_id: "%5", cwd: "/work/other", pid: 41 })
      const plan = planRegistration(
        registration({ paneId: "%5", cwd: "/work/proj", pid: 42 }),
        [prior],
        unknownLiveness,
        now
      )
      expect(plan.row.agent_id).toBe("proj:general")
      expect(plan.evicted).toEqual(["other:general"])
    })

    it("an explicit id is never replaced by the pane's previous id", () => {
      const prior = agentRow("proj:general", { pane_id: "%5", cwd: "/work/proj" })
      const plan = planRegistration(
        explicitRegistration("proj:reviewer", { paneId: "%5" }),
        [prior],
        unknownLiveness,
        now
      )
      expect(plan.row.agent_id).toBe("proj:reviewer")
      expect(plan.evicted).toEqual(["proj:general"])
    })

    it("a pane's previous row under an id this version refuses (another version wrote it) is evicted, never continued", () => {
      const foreign = { ...agentRow("proj:general", { pane_id: "%5", cwd: "/work/proj" }), agent_id: "team/api" }
      const plan = planRegistration(registration({ paneId: "%5", cwd: "/work/proj" }), [foreign], unknownLiveness, now)
      expect(plan.row.agent_id).toBe("proj:general")
      expect(plan.evicted).toEqual(["team/api"])
    })

    it("continuity follows the most recently seen row of the pane", () => {
      const older = agentRow("proj:old", { pane_id: "%5", last_seen: "2026-03-16T12:00:00.000000+00:00" })
      const newer = agentRow("proj:new", { pane_id: "%5", last_seen: "2026-03-16T12:10:00.000000+00:00" })
      const plan = planRegistration(registration({ paneId: "%5" }), [older, newer], unknownLiveness, now)
      expect(plan.row.agent_id).toBe("proj:new")
      expect(plan.evicted).toEqual(["proj:old"])
    })

    it("without a pane the id is the canonical one", () => {
      const plan = planRegistration(
        registration({ cwd: "/tmp/myproject", tmuxTarget: "7:1.2" }),
        [],
        unknownLiveness,
        now
      )
      expect(plan.row.agent_id).toBe("myproject:general:7:1.2")
    })
  })

  describe("takeover", () => {
    const claimant = agentRow("proj:general:6:3.1", { pane_id: "%40", tmux_target: "6:3.1" })

    it("an id held by another live pane gets the suffix ':<pane_id>' and the holder stays", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general:6:3.1", { paneId: "%50", tmuxTarget: "6:3.1" }),
        [claimant],
        live("%40", "%50"),
        now
      )
      expect(plan.row.agent_id).toBe("proj:general:6:3.1:%50")
      expect(plan.evicted).toEqual([])
    })

    it("a holder whose liveness is unknown counts as alive", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general:6:3.1", { paneId: "%50" }),
        [claimant],
        unknownLiveness,
        now
      )
      expect(plan.row.agent_id).toBe("proj:general:6:3.1:%50")
    })

    it("an id held by a dead pane is reclaimed without a suffix", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general:6:3.1", { paneId: "%50" }),
        [claimant],
        live("%50"),
        now
      )
      expect(plan.row.agent_id).toBe("proj:general:6:3.1")
      expect(plan.evicted).toEqual([])
    })

    it("a reclaim evicts other rows left in the dead pane", () => {
      const leftover = agentRow("proj:leftover", { pane_id: "%40" })
      const plan = planRegistration(
        explicitRegistration("proj:general:6:3.1", { paneId: "%50" }),
        [claimant, leftover],
        live("%50"),
        now
      )
      expect(plan.row.agent_id).toBe("proj:general:6:3.1")
      expect(plan.evicted).toEqual(["proj:leftover"])
    })

    it("the same pane re-registering its own id is not a takeover", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general:6:3.1", { paneId: "%40" }),
        [claimant],
        live("%40"),
        now
      )
      expect(plan.row.agent_id).toBe("proj:general:6:3.1")
    })
  })

  describe("eviction", () => {
    it("a pane holds one agent: a different agent registering in it evicts the old row", () => {
      const plan = planRegistration(
        explicitRegistration("proj:new", { paneId: "%5", tmuxTarget: "s:0.1" }),
        [agentRow("proj:old", { pane_id: "%5", tmux_target: "s:0.1" }), agentRow("proj:elsewhere", { pane_id: "%6" })],
        unknownLiveness,
        now
      )
      expect(plan.evicted).toEqual(["proj:old"])
    })

    it("a legacy row without pane at the same target is evicted", () => {
      const plan = planRegistration(
        explicitRegistration("proj:new", { paneId: "%5", tmuxTarget: "s:0.1" }),
        [agentRow("proj:legacy", { tmux_target: "s:0.1" })],
        unknownLiveness,
        now
      )
      expect(plan.evicted).toEqual(["proj:legacy"])
    })

    it("a legacy row is kept when the registration has no target", () => {
      const plan = planRegistration(
        explicitRegistration("proj:new", { paneId: "%5" }),
        [agentRow("proj:legacy", { tmux_target: "" })],
        unknownLiveness,
        now
      )
      expect(plan.evicted).toEqual([])
    })

    it("a row in another pane whose stale target merely collides is kept", () => {
      const plan = planRegistration(
        explicitRegistration("proj:new", { paneId: "%5", tmuxTarget: "s:0.1" }),
        [agentRow("proj:moved", { pane_id: "%9", tmux_target: "s:0.1" })],
        unknownLiveness,
        now
      )
      expect(plan.evicted).toEqual([])
    })
  })

  describe("the stored row", () => {
    it("keeps the token usage of an agent that re-registers", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general"),
        [agentRow("proj:general", { token_usage: "{\"input_tokens\":5}" })],
        unknownLiveness,
        now
      )
      expect(plan.row.token_usage).toBe("{\"input_tokens\":5}")
    })

    it("starts a new agent with empty token usage and registered_at = last_seen = now", () => {
      const plan = planRegistration(
        explicitRegistration("proj:general", { sessionId: "s-1", runtime: "codex", profile: "{\"a\":1}", pid: 7 }),
        [],
        unknownLiveness,
        now
      )
      expect(plan.row).toEqual({
        agent_id: "proj:general",
        cwd: "/work/proj",
        tmux_target: "",
        pane_id: "",
        pid: 7,
        session_id: "s-1",
        agent_type: "general",
        runtime: "codex",
        profile: "{\"a\":1}",
        registered_at: now,
        last_seen: now,
        token_usage: "{}",
        host: ""
      })
    })
  })

  describe("hosts", () => {
    it("an agent in pane %1 of another host is neither evicted nor continued by a registration in this host's %1", () => {
      const remote = agentRow("proj:general:s:0.0", { pane_id: "%1", tmux_target: "s:0.0", host: "b" })
      const plan = planRegistration(
        registration({ paneId: "%1", tmuxTarget: "s:0.0", host: "a" }),
        [remote],
        Option.some(new Set(["%1"])),
        now
      )
      expect(plan.evicted).toEqual([])
      expect(plan.row.agent_id).toBe("proj:general:s:0.0:%1")
      expect(plan.row.host).toBe("a")
    })

    it("a registration evicts the previous agent of its pane on its own host", () => {
      const before = agentRow("proj:old", { pane_id: "%1", host: "a" })
      const plan = planRegistration(
        explicitRegistration("proj:new", { paneId: "%1", host: "a" }),
        [before],
        unknownLiveness,
        now
      )
      expect(plan.evicted).toEqual(["proj:old"])
    })
  })
})
