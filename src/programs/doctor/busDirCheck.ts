import { Effect } from "effect"
import { BusDirCheck } from "../../services/BusDirCheck.js"
import { failWithReason, ok, warn } from "./Check.js"

/**
 * The bus dir and its subdirectories, by the rules the server refuses to start on; a missing one is left missing. Never
 * fails.
 */
export const busDirCheck = Effect.gen(function*() {
  const checker = yield* BusDirCheck
  return yield* checker.inspect.pipe(
    Effect.map(({ exists, root }) =>
      exists
        ? ok("bus dir", `${root}: a directory of yours, mode 0700 or stricter, not a symlink`)
        : warn("bus dir", `${root} does not exist yet`, "the first helioy-bus serve creates it (mode 0700)")
    ),
    Effect.catchTag(
      "BusDirRefused",
      (refused) => Effect.succeed(failWithReason("bus dir", `${refused.path}: ${refused.reason}`))
    )
  )
})
