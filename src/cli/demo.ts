import { Console, Effect } from "effect"

/** Placeholder until the demo lands. */
export const runDemo = Console.log("demo: not yet")
