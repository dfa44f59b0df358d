import { Duration, Effect, Option } from "effect"
import { BusBackend, type PgBusReport } from "../../services/BusBackend.js"
import { BusConfig } from "../../services/BusConfig.js"
import { type Check, fail, ok, warn } from "./Check.js"

/** The skew from which other hosts may misjudge this host's agents: a quarter of the staleness. */
const skewLimit = (staleAfter: Duration.Duration) => Duration.toMillis(staleAfter) / 4

/** The schema check: applied migration against this code's. */
const schemaCheck = (report: PgBusReport): Check =>
  Option.match(report.migration, {
    onNone: () =>
      warn(
        "postgres",
        `${report.url}: connected; schema ${report.schema} not migrated yet`,
        "the first helioy-bus serve on this URL creates and migrates it"
      ),
    onSome: (id) =>
      id < report.latestMigration
        ? warn(
          "postgres",
          `${report.url}: schema ${report.schema} at migration ${id} of ${report.latestMigration}`,
          "the next helioy-bus serve migrates it"
        )
        : id > report.latestMigration
        ? warn(
          "postgres",
          `${report.url}: schema ${report.schema} at migration ${id}, newer than this helioy-bus (${report.latestMigration})`,
          "upgrade helioy-bus on this host"
        )
        : ok(
          "postgres",
          `${report.url}: schema ${report.schema} at migration ${id}, ${report.agents} agent(s) registered`
        )
  })

/** The clock check: skew against the server, judged against the staleness other hosts apply to this host's agents. */
const clockCheck = (report: PgBusReport, staleAfter: Duration.Duration): Check => {
  const skew = report.clockSkewMillis
  const detail = `server clock ${
    skew >= 0 ? "+" : ""
  }${skew} ms from this host's (round trip ${report.roundTripMillis} ms)`
  return Math.abs(skew) > skewLimit(staleAfter)
    ? fail(
      "clock",
      detail,
      `synchronise this host's clock (NTP): heartbeats are judged stale after ${
        Duration.format(staleAfter)
      }, and send order across hosts follows the clocks`
    )
    : Math.abs(skew) > 1000
    ? warn("clock", detail, "synchronise this host's clock (NTP): send order across hosts follows the clocks")
    : ok("clock", detail)
}

/**
 * A PostgreSQL bus: the connection and schema version (`postgres`) and the clock skew against the server (`clock`);
 * an unreachable server is a `fail` naming the masked URL and what to check. Never fails.
 */
export const postgresChecks = Effect.gen(function*() {
  const { staleAfter } = yield* BusConfig
  const backend = yield* BusBackend
  return yield* backend.report.pipe(
    Effect.map((report): ReadonlyArray<Check> =>
      report._tag === "Postgres" ? [schemaCheck(report), clockCheck(report, staleAfter)] : []
    ),
    Effect.catchTag(
      "RegistryUnavailable",
      (error) =>
        Effect.succeed([fail("postgres", error.reason, "fix the connection, then run helioy-bus doctor again")])
    )
  )
})
