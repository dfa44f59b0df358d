import { Either, Schema } from "effect"
import { CommandHandler, EventGroups, MatcherGroup } from "./HookSettings.js"
import { type HookGroup, isBusHookCommand } from "./HookWiring.js"
import { fileDecoder, type JsonObject, withoutKeys } from "./Json.js"

const isCommandHandler = Schema.is(CommandHandler)
const isMatcherGroup = Schema.is(MatcherGroup)

const isBusHandler = (handler: unknown): boolean => isCommandHandler(handler) && isBusHookCommand(handler.command)

/** A group without the bus's handlers, or undefined when only bus handlers were in it. */
const withoutBusHandlers = (group: unknown): unknown => {
  if (!isMatcherGroup(group)) return group
  const kept = group.hooks.filter((handler) => !isBusHandler(handler))
  if (kept.length === group.hooks.length) return group
  return kept.length === 0 ? undefined : { ...group, hooks: kept }
}

const holdsBusHandler = (group: unknown): boolean => isMatcherGroup(group) && group.hooks.some(isBusHandler)

/**
 * The `hooks` object without any `helioy-bus hook` handler (as installed, from the plugin, or from PATH): a group
 * left with no handler is dropped, and so is an event left with no group (unless it is in `keep`); every other event,
 * group and handler stays in its place. Never fails.
 */
export const withoutBusHooks = (hooks: JsonObject, keep: ReadonlyArray<string> = []): JsonObject =>
  Object.fromEntries(
    Object.entries(hooks).flatMap(([event, groups]) => {
      if (!Array.isArray(groups) || !groups.some(holdsBusHandler)) return [[event, groups]]
      const kept = groups.map(withoutBusHandlers).filter((group) => group !== undefined)
      return kept.length === 0 && !keep.includes(event) ? [] : [[event, kept]]
    })
  )

/**
 * The `hooks` object of a settings file with the bus's groups in place: every other event, group and handler is
 * kept as it was, any earlier `helioy-bus hook` handler is removed, and each of ours sits where the first earlier one
 * was (else last). Fails with a reason when the list of one of our events is not a list.
 */
export const mergeBusHooks = (
  existing: JsonObject | undefined,
  ours: Readonly<Record<string, ReadonlyArray<HookGroup>>>
): Either.Either<JsonObject, string> =>
  Either.gen(function*() {
    for (const event of Object.keys(ours)) {
      if (existing?.[event] !== undefined) yield* fileDecoder(EventGroups(event))(existing[event])
    }
    const hooks: Record<string, unknown> = withoutBusHooks(existing ?? {}, Object.keys(ours))
    for (const [event, groups] of Object.entries(ours)) {
      const before = existing?.[event]
      const current = hooks[event]
      if (!Array.isArray(current)) {
        hooks[event] = [...groups]
        continue
      }
      // The groups before the first one that held ours held none, so they are all still there: ours go back in place.
      const firstOurs = Array.isArray(before) ? before.findIndex(holdsBusHandler) : -1
      const at = firstOurs < 0 ? current.length : firstOurs
      hooks[event] = [...current.slice(0, at), ...groups, ...current.slice(at)]
    }
    return hooks
  })

/** A settings file that keeps its hooks under `hooks`, as decoded. */
type WithHooks = JsonObject & { readonly hooks?: JsonObject }

/** A settings file with the bus's hooks merged into `hooks` (see `mergeBusHooks`); fails with its reason. */
export const withBusHooksIn = (
  file: WithHooks,
  ours: Readonly<Record<string, ReadonlyArray<HookGroup>>>
): Either.Either<JsonObject, string> => Either.map(mergeBusHooks(file.hooks, ours), (hooks) => ({ ...file, hooks }))

/**
 * A settings file without the bus's hooks (see `withoutBusHooks`), and without `hooks` when that left it empty; never
 * fails.
 */
export const withoutBusHooksIn = (file: WithHooks): JsonObject => {
  if (file.hooks === undefined) return file
  const hooks = withoutBusHooks(file.hooks)
  if (Object.keys(hooks).length > 0 || Object.keys(file.hooks).length === 0) return { ...file, hooks }
  return withoutKeys(file, ["hooks"]) ?? {}
}
