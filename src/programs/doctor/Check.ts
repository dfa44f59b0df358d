/** One line of `helioy-bus doctor`: what was checked, how it came out, and what to do about it. */
import { Option, Schema } from "effect"

/** How a check came out: fine, worth knowing, or broken. */
export const CheckStatus = Schema.Literal("ok", "warn", "fail")

/** How a check came out. */
export type CheckStatus = typeof CheckStatus.Type

/** A check's result: its name, status, what was found and, when something is to be done, the fix (`null` in JSON). */
export const Check = Schema.Struct({
  name: Schema.String,
  status: CheckStatus,
  detail: Schema.String,
  fix: Schema.OptionFromNullOr(Schema.String)
})

/** A check's result. */
export type Check = typeof Check.Type

/** A check that passed. */
export const ok = (name: string, detail: string): Check => ({ name, status: "ok", detail, fix: Option.none() })

/** A check that found something worth knowing, and what to do about it. */
export const warn = (name: string, detail: string, fix: string): Check => ({
  name,
  status: "warn",
  detail,
  fix: Option.some(fix)
})

/** A check that found something broken, and how to fix it. */
export const fail = (name: string, detail: string, fix: string): Check => ({
  name,
  status: "fail",
  detail,
  fix: Option.some(fix)
})

/**
 * A failed check from a reason written as `<problem>; <what to do>` (how the bus's refusals read, e.g. BusDirRefused);
 * a reason without `; ` is all detail, with no fix.
 */
export const failWithReason = (name: string, reason: string): Check => {
  const at = reason.lastIndexOf("; ")
  return at < 0
    ? { name, status: "fail", detail: reason, fix: Option.none() }
    : fail(name, reason.slice(0, at), reason.slice(at + 2))
}

/** What the doctor found for one runtime: its checks, and whether any of the bus is wired into it. */
export interface RuntimeReport {
  /** Whether any part of the bus (server, hooks, plugin) is in the runtime's configuration. */
  readonly wired: boolean
  /** The runtime's checks, in order. */
  readonly checks: ReadonlyArray<Check>
}
