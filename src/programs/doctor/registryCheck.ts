import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"
import { join } from "node:path"
import { BusConfig } from "../../services/BusConfig.js"
import { Registry, type RegistryHealth } from "../../services/Registry.js"
import { type Check, fail, ok, warn } from "./Check.js"

const name = "registry"

/** What a registry that answered says of itself: integrity first, then how its schema compares to this code's. */
const judge = (path: string, health: RegistryHealth): Check => {
  if (health.integrity !== "ok") {
    return fail(
      name,
      `${path} fails SQLite's quick_check (${health.integrity})`,
      "stop the bus servers and move it aside; the bus recreates it"
    )
  }
  const latest = health.latestMigration
  return Option.match(health.migration, {
    onNone: () =>
      warn(
        name,
        `${path} has no migrations applied yet (made by the Python helioy-bus?)`,
        "the next helioy-bus serve migrates it"
      ),
    onSome: (id) =>
      id < latest
        ? warn(name, `${path} is at migration ${id} of ${latest}`, "the next helioy-bus serve migrates it")
        : id > latest
        ? warn(name, `${path} is at migration ${id}, newer than this helioy-bus (${latest})`, "upgrade helioy-bus")
        : ok(name, `${path}: schema at migration ${id}, ${health.agents} agent(s) registered`)
  })
}

/**
 * `registry.db`: asks `Registry.health` (over an existing database: never created or migrated here) for its
 * integrity and migration; a missing file is a warning. Never fails.
 */
export const registryCheck = Effect.gen(function*() {
  const path = join((yield* BusConfig).busDir, "registry.db")
  const fs = yield* FileSystem.FileSystem
  if (!(yield* Effect.orElseSucceed(fs.exists(path), () => true))) {
    return warn(name, `${path} does not exist yet`, "the first helioy-bus serve creates and migrates it")
  }
  const registry = yield* Registry
  return yield* registry.health.pipe(
    Effect.map((health) => judge(path, health)),
    Effect.catchTag("RegistryUnavailable", (error) =>
      Effect.succeed(fail(
        name,
        `cannot read ${path} (${error.reason})`,
        "if another process holds it, retry; if it is corrupt, move it aside and the bus recreates it"
      )))
  )
})
