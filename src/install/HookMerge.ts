import { Either } from "effect"
import { type HookGroup, isBusHookCommand } from "./HookWiring.js"
import { isJsonObject, type JsonObject } from "./Json.js"

const isBusHandler = (handler: unknown): boolean =>
  isJsonObject(handler) && typeof handler.command === "string" && isBusHookCommand(handler.command)

/** A group without the bus's handlers, or undefined when only bus handlers were in it. */
const withoutBusHandlers = (group: unknown): unknown => {
  if (!isJsonObject(group) || !Array.isArray(group.hooks)) return group
  const kept = group.hooks.filter((handler) => !isBusHandler(handler))
  if (kept.length === group.hooks.length) return group
  return kept.length === 0 ? undefined : { ...group, hooks: kept }
}

const holdsBusHandler = (group: unknown): boolean =>
  isJsonObject(group) && Array.isArray(group.hooks) && group.hooks.some(isBusHandler)

/**
 * The `hooks` object of a settings file with the bus's groups in place: every other event, group and handler is
 * kept as it was, any earlier `helioy-bus hook` handler is removed, and each of ours sits where the first earlier one
 * was (else last). Fails with a reason when `hooks`, or the list of one of our events, is not of the documented shape.
 */
export const mergeBusHooks = (
  existing: unknown,
  ours: Readonly<Record<string, ReadonlyArray<HookGroup>>>
): Either.Either<JsonObject, string> => {
  if (existing !== undefined && !isJsonObject(existing)) return Either.left("\"hooks\" is not an object")
  const hooks: JsonObject = { ...existing }
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      if (event in ours) return Either.left(`"hooks.${event}" is not a list`)
      continue
    }
    if (!groups.some(holdsBusHandler)) continue
    const kept = groups.map(withoutBusHandlers).filter((group) => group !== undefined)
    if (kept.length === 0 && !(event in ours)) delete hooks[event]
    else hooks[event] = kept
  }
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
  return Either.right(hooks)
}
