import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, Option, Redacted } from "effect"
import type { AgentId } from "../../src/domain/AgentId.js"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as MailboxPg from "../../src/layers/MailboxPg.js"
import { pgMigrations } from "../../src/layers/pg/migrations.js"
import * as PgBus from "../../src/layers/pg/PgBus.js"
import * as RegistryPg from "../../src/layers/RegistryPg.js"
import { Mailbox } from "../../src/services/Mailbox.js"
import { Registry } from "../../src/services/Registry.js"
import { adminQuery, freshSchema, noPostgres, pgConfig, pgUrl } from "../support/pg/pgLayers.js"
import { message } from "../support/unitFixtures.js"

const bob = "proj:bob" as AgentId

/** One process's mailbox on the bus in `schema` (two of them are two processes, or two hosts, on one bus). */
const mailboxOn = (schema: string) =>
  Layer.build(
    MailboxPg.layer.pipe(
      Layer.provideMerge(PgBus.layer),
      Layer.provide(pgConfig(schema, { mailRescan: Duration.hours(1) }))
    )
  ).pipe(Effect.map((context) => context.unsafeMap.get(Mailbox.key) as Mailbox["Type"]))

const sendTo = (mailbox: Mailbox["Type"], content: string) =>
  Effect.gen(function*() {
    const sent = message({ from: "proj:alice", to: bob, sentAt: yield* mailbox.nextSentAt, content })
    yield* mailbox.deliver(bob, sent)
    return sent
  })

/** Ends every session of the bus in `schema` that sits in an open transaction (a reader killed mid-claim). */
const killOpenClaims = (schema: string) =>
  adminQuery(
    pgUrl,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE state LIKE 'idle in transaction%' AND application_name = 'helioy-bus@${schema}'`
  )

describe.skipIf(noPostgres)("Mailbox on PostgreSQL: claims, wakes and waiters across processes", () => {
  it.scoped("a held claim is exclusive; given back unread, the next read gets it", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      const reader = yield* mailboxOn(schema)
      const other = yield* mailboxOn(schema)
      const sent = yield* sendTo(reader, "one")
      const taken = yield* reader.take(bob, Option.none())
      expect(taken.messages.map((m) => m.id)).toEqual([sent.id])
      expect((yield* other.claim(bob, Option.none())).messages).toEqual([])
      yield* taken.settle(false)
      expect((yield* other.claim(bob, Option.none())).messages.map((m) => m.id)).toEqual([sent.id])
      expect((yield* reader.claim(bob, Option.none())).messages).toEqual([])
    }))

  it.scoped("a claim whose reader's session ends before settling comes back to the next reader, same id", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      const reader = yield* mailboxOn(schema)
      const other = yield* mailboxOn(schema)
      const first = yield* sendTo(reader, "one")
      const second = yield* sendTo(reader, "two")
      const taken = yield* reader.take(bob, Option.none())
      expect(taken.messages).toHaveLength(2)
      const killed = yield* killOpenClaims(schema)
      expect(killed).toHaveLength(1)
      expect((yield* other.claim(bob, Option.none())).messages.map((m) => m.id)).toEqual([first.id, second.id])
      // The dead reader's settle finds its session gone: a warning, no failure, nothing archived twice.
      yield* taken.settle(true)
      expect((yield* other.claim(bob, Option.none())).messages).toEqual([])
    }))

  it.scoped("a waiter on one process is woken by a delivery of another (LISTEN/NOTIFY, no re-scan)", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      const waiting = yield* mailboxOn(schema)
      const sender = yield* mailboxOn(schema)
      yield* waiting.ensureInbox(bob)
      const waiter = yield* Effect.fork(waiting.awaitNew(bob, new Set()))
      const sent = yield* sendTo(sender, "wake up")
      const woken = yield* Fiber.join(waiter)
      expect(woken.map((p) => [p.id, p.from])).toEqual([[sent.id, "proj:alice"]])
    }))

  it.scoped("a mail waiter held by one process is seen by another, and is gone with its scope", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      const one = yield* mailboxOn(schema)
      const two = yield* mailboxOn(schema)
      const carol = "proj:carol" as AgentId
      expect(yield* two.hasWaiter(bob)).toBe(false)
      yield* Effect.scoped(Effect.gen(function*() {
        expect(yield* one.holdWaiter(bob)).toBe(true)
        expect(yield* two.holdWaiter(bob)).toBe(false)
        expect(yield* two.hasWaiter(bob)).toBe(true)
        expect(yield* two.waitersAmong([bob, carol])).toEqual(new Set([bob]))
      }))
      expect(yield* two.hasWaiter(bob)).toBe(false)
    }))
})

describe.skipIf(noPostgres)("PostgreSQL bus migrations", () => {
  it.scoped("servers starting at once on a fresh schema all come up, and each migration is applied once", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      yield* Effect.all(Array.from({ length: 6 }, () => mailboxOn(schema)), { concurrency: "unbounded" })
      const applied = yield* adminQuery(pgUrl, `SELECT migration_id FROM "${schema}".schema_migrations ORDER BY 1`)
      expect(applied.map((row) => row.migration_id)).toEqual(pgMigrations.map((migration) => migration.id))
    }))
})

describe.skipIf(noPostgres)("PostgreSQL bus unreachable", () => {
  it.scoped("building the bus fails with RegistryUnavailable naming the URL, its password masked", () =>
    Effect.gen(function*() {
      const url = "postgres://agent:s3cr%21t@127.0.0.1:1/bus"
      const exit = yield* Effect.exit(Layer.build(
        RegistryPg.layer.pipe(
          Layer.provide(PgBus.layer),
          Layer.provide(BusConfigLive.layer({ busUrl: Option.some(Redacted.make(url)) }))
        )
      ))
      expect(Exit.isFailure(exit)).toBe(true)
      const text = JSON.stringify(exit)
      expect(text).toContain("postgres://agent:***@127.0.0.1:1/bus")
      expect(text).toContain("ECONNREFUSED")
      expect(text).toContain("check that the server runs")
      expect(text).not.toContain("s3cr")
    }))

  it.scoped("after the server ended every session of the bus, the next call reconnects and works", () =>
    Effect.gen(function*() {
      const schema = yield* freshSchema
      const context = yield* Layer.build(
        RegistryPg.layer.pipe(Layer.provideMerge(PgBus.layer), Layer.provide(pgConfig(schema)))
      )
      const registry = context.unsafeMap.get(Registry.key) as Registry["Type"]
      expect(yield* registry.list).toEqual([])
      const sessions = `SELECT pid FROM pg_stat_activity WHERE application_name = 'helioy-bus@${schema}'`
      expect((yield* adminQuery(pgUrl, sessions)).length).toBeGreaterThan(0)
      // Every session of the bus ended by the server, as a restart would.
      yield* adminQuery(
        pgUrl,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'helioy-bus@${schema}'`
      )
      expect((yield* adminQuery(pgUrl, sessions)).length).toBe(0)
      expect(yield* registry.list).toEqual([])
    }))
})
