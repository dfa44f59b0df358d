import { Effect, type Scope } from "effect"
import { wakeOwnPane } from "../../programs/paneWaker.js"
import type { WrapperBus } from "./busSession.js"

/**
 * For a wrapped runtime that is woken by typing into its pane: runs the waker of the wrapper's own pane for the life
 * of the scope, so that mail from any host wakes it (nothing when the agent has no pane). Never fails.
 */
export const ownPaneWaker = (bus: WrapperBus): Effect.Effect<void, never, Scope.Scope> =>
  bus.agent.pane_id === "" && bus.agent.tmux_target === ""
    ? Effect.void
    // The wrapper runs uninterruptibly (its child's life decides when it ends); the waker must stay interruptible, so
    // that the scope can end it.
    : Effect.asVoid(Effect.forkScoped(Effect.interruptible(
      wakeOwnPane(bus.agent, process.pid).pipe(Effect.provide(bus.services))
    )))
