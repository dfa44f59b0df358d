/** Whether spawned members really started: registered and at their prompt, stuck at a first-run dialog, or dead. */
import { Clock, Duration, Effect, Either, Option } from "effect"
import type { AgentId } from "../../domain/AgentId.js"
import { showsDialog, showsReady } from "../../domain/PaneScreen.js"
import type { RuntimeAdapter } from "../../domain/RuntimeAdapter.js"
import { Registry } from "../../services/Registry.js"
import { Runtimes } from "../../services/Runtimes.js"
import { Tmux } from "../../services/Tmux.js"

/** A member just opened in a pane, as the readiness watch needs it. */
export interface OpenedMember {
  readonly agentId: AgentId
  readonly paneId: string
  readonly role: string
  readonly runtime: string
}

/** A member that did not become ready within the wait: why, and what its pane showed. */
export interface PendingMember {
  readonly agent_id: string
  readonly role: string
  readonly pane_id: string
  readonly reason: string
  /** The last lines of its pane (a dialog's text, when it waits at one). */
  readonly screen: string
}

/** A member whose pane died: its exit status and its last lines. */
export interface FailedMember {
  readonly agent_id: string
  readonly role: string
  readonly pane_id: string
  readonly reason: string
  readonly exit_status: number | null
  readonly last_lines: string
  /** Whether its dead pane was left open for inspection. */
  readonly pane_kept: boolean
}

/** What the members came to. */
export interface Readiness {
  /** The agent ids of the members registered and at their prompt. */
  readonly ready: ReadonlyArray<string>
  readonly pending: ReadonlyArray<PendingMember>
  readonly failed: ReadonlyArray<FailedMember>
}

/** How often the watch looks at the members. */
const step = Duration.millis(250)

/**
 * How long a dead pane's exit status is waited for (tmux sometimes never reports it for a program that exits at once).
 */
const statusWait = Duration.seconds(1)

/** The last non-empty lines of a screen. */
const lastLines = (screen: string, count = 15) =>
  screen.split("\n").map((line) => line.trimEnd()).filter((line) => line !== "").slice(-count).join("\n")

type Sighting =
  | { readonly _tag: "Ready" }
  | { readonly _tag: "Dead"; readonly exitStatus: number | null; readonly screen: string; readonly gone: boolean }
  | { readonly _tag: "Waiting"; readonly registered: boolean; readonly dialog: boolean; readonly screen: string }

const readySighting: Sighting = { _tag: "Ready" }
const dead = (exitStatus: number | null, screen: string): Sighting => ({
  _tag: "Dead",
  exitStatus,
  screen,
  gone: false
})
const gone = (screen: string): Sighting => ({ _tag: "Dead", exitStatus: null, screen, gone: true })
const waiting = (registered: boolean, dialog: boolean, screen: string): Sighting => ({
  _tag: "Waiting",
  registered,
  dialog,
  screen
})

const atPrompt = (adapter: Option.Option<RuntimeAdapter>, screen: string) =>
  Option.match(adapter, { onNone: () => true, onSome: (found) => showsReady(found.screen, screen) })

/**
 * Watches opened members for up to `wait`: a member is ready once its agent is registered under its id and its pane
 * shows its runtime's prompt with no dialog; failed when its pane's program exited (the window keeps dead panes
 * while it waits) or the pane is gone; pending when the wait ended first (waiting at a dialog, or not registered).
 * Dead panes are closed unless `keepFailed`. Never fails: what tmux cannot tell counts as not ready yet.
 */
export const awaitReady = Effect.fn("warroom.awaitReady")(function*(
  members: ReadonlyArray<OpenedMember>,
  wait: Duration.Duration,
  keepFailed: boolean
) {
  const tmux = yield* Tmux
  const registry = yield* Registry
  const runtimes = yield* Runtimes
  const look = (member: OpenedMember): Effect.Effect<Sighting> =>
    Effect.gen(function*() {
      const exit = yield* Effect.either(tmux.exitStatusOf(member.paneId))
      if (Either.isLeft(exit)) return gone("")
      if (Option.isSome(exit.right)) {
        // What a program printed before it exited may have scrolled off: read some history too.
        return dead(exit.right.value, yield* Effect.orElseSucceed(tmux.capture(member.paneId, 50), () => ""))
      }
      const screen = yield* Effect.orElseSucceed(tmux.capture(member.paneId), () => "")
      const adapter = runtimes.get(member.runtime)
      const registered = Option.isSome(yield* Effect.orElseSucceed(registry.get(member.agentId), () => Option.none()))
      const dialog = Option.match(adapter, {
        onNone: () => false,
        onSome: (found) => showsDialog(found.screen, screen)
      })
      if (registered && !dialog && atPrompt(adapter, screen)) return readySighting
      return waiting(registered, dialog, screen)
    })
  const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(wait)
  const settled = new Map<string, Sighting>()
  const last = new Map<string, Sighting>()
  const deadSince = new Map<string, number>()
  for (;;) {
    for (const member of members) {
      if (settled.has(member.paneId)) continue
      const sighting = yield* look(member)
      last.set(member.paneId, sighting)
      // A dead pane whose status tmux has not collected yet is looked at again, for a while.
      const now = yield* Clock.currentTimeMillis
      if (sighting._tag === "Dead" && !sighting.gone && sighting.exitStatus === null && !deadSince.has(member.paneId)) {
        deadSince.set(member.paneId, now)
      }
      const statusWaitOver = now - (deadSince.get(member.paneId) ?? now) >= Duration.toMillis(statusWait)
      if (
        sighting._tag === "Ready" ||
        (sighting._tag === "Dead" && (sighting.gone || sighting.exitStatus !== null || statusWaitOver))
      ) {
        settled.set(member.paneId, sighting)
      }
    }
    if (settled.size === members.length || (yield* Clock.currentTimeMillis) >= deadline) break
    yield* Effect.sleep(step)
  }
  const seconds = Math.round(Duration.toSeconds(wait))
  const ready: Array<string> = []
  const pending: Array<PendingMember> = []
  const failed: Array<FailedMember> = []
  for (const member of members) {
    const sighting = settled.get(member.paneId) ?? last.get(member.paneId)
    const base = { agent_id: member.agentId, role: member.role, pane_id: member.paneId }
    if (sighting === undefined || sighting._tag === "Ready") {
      if (sighting !== undefined) ready.push(member.agentId)
      continue
    }
    if (sighting._tag === "Dead") {
      if (!keepFailed) yield* Effect.ignore(tmux.killPane(member.paneId))
      failed.push({
        ...base,
        reason: sighting.gone
          ? "its pane closed before it registered"
          : sighting.exitStatus === null
          ? "its program exited"
          : `its program exited with status ${sighting.exitStatus}`,
        exit_status: sighting.exitStatus,
        last_lines: lastLines(sighting.screen),
        pane_kept: keepFailed && !sighting.gone
      })
      continue
    }
    pending.push({
      ...base,
      reason: sighting.dialog
        ? "it waits at a dialog on its screen: answer it in its pane"
        : sighting.registered
        ? `it registered, but its prompt did not show within ${seconds} s`
        : `it did not register within ${seconds} s`,
      screen: lastLines(sighting.screen)
    })
  }
  return { ready, pending, failed } satisfies Readiness
})

/** How a spawn waits for its members. */
export interface ReadinessWait {
  readonly wait: Duration.Duration
  /** Leave the panes of members that died open for inspection. */
  readonly keepFailed: boolean
}

/** A member's state after the wait: `ready`, `pending`, `failed`, or `started` when the spawn did not wait. */
export const memberState = (readiness: Option.Option<Readiness>, agentId: string, paneId: string) =>
  Option.match(readiness, {
    onNone: () => "started",
    onSome: (found) =>
      found.ready.includes(agentId)
        ? "ready"
        : found.failed.some((member) => member.pane_id === paneId)
        ? "failed"
        : "pending"
  })

/** The keys a waited-for spawn adds: `ready`, `pending` and `failed` lists. */
export const readinessView = (readiness: Option.Option<Readiness>) =>
  Option.match(readiness, {
    onNone: () => ({}),
    onSome: (found) => ({ ready: found.ready, pending: found.pending, failed: found.failed })
  })

/** Waits for the opened members when asked, then lets the window close panes whose program exits again. */
export const watchReadiness = (
  wait: ReadinessWait | undefined,
  windowId: Option.Option<string>,
  members: ReadonlyArray<OpenedMember>
) =>
  Effect.gen(function*() {
    if (wait === undefined) return Option.none<Readiness>()
    const tmux = yield* Tmux
    const readiness = yield* awaitReady(members, wait.wait, wait.keepFailed)
    if (Option.isSome(windowId)) yield* Effect.ignore(tmux.setWindowOption(windowId.value, "remain-on-exit", "off"))
    return Option.some(readiness)
  })
