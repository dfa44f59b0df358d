import { Clock, Duration, Effect, Either, Layer, Option, Schema } from "effect"
import * as fs from "node:fs"
import { join } from "node:path"
import { checkDirectory } from "../busFiles/directories.js"
import { BusFileError, codeField, describeFileError } from "../busFiles/fileErrors.js"
import { deliverFile, deliverFiles } from "../busFiles/inboxDelivery.js"
import { readMessageHead } from "../busFiles/messageHead.js"
import { isMessageFileName } from "../busFiles/messageNames.js"
import { lockHeld, releaseLock, tryLock } from "../busFiles/pidLock.js"
import { type AgentId, agentIdProblem } from "../domain/AgentId.js"
import { messageFileName, MessageFromJson } from "../domain/Message.js"
import { defaultReadLimit } from "../domain/ReadLimits.js"
import { InboxFull } from "../errors/bus.js"
import { MailboxUnavailable } from "../errors/stores.js"
import { BusConfig } from "../services/BusConfig.js"
import { BusDir } from "../services/BusDir.js"
import { Mailbox, type MailboxShape, type PendingMessage } from "../services/Mailbox.js"
import { copyMethods } from "./mailboxCopies.js"
import { followFiles } from "./mailboxFeed.js"
import { type InboxReader, settleFiles, takeFiles } from "./mailboxTake.js"
import { claimByTaking, heldUntilSettled } from "./mailboxTaken.js"
import { inboxWaits } from "./mailboxWaits.js"
import { makeNextSentAt } from "./sentAtStamps.js"

const decodeMessage = Schema.decodeUnknownEither(MessageFromJson)

const waiterFile = ".waiter"

/**
 * Builds the file mailbox: every directory checked on every use (and recreated when missing), delivery staged and
 * linked into place under the unread cap, claim by rename into `claimed/<pid>.<file>` (archived once settled,
 * re-delivered when the claimer died first), quarantine of bad files.
 */
export const make = Effect.gen(function*() {
  const busDir = yield* BusDir
  const config = yield* BusConfig
  const nextSentAt = yield* makeNextSentAt
  const reader: InboxReader = {
    tree: busDir.tree,
    fileLimit: config.maxMessageBytes * 6 + 64 * 1024,
    ttlMillis: Duration.toMillis(config.archiveTtl),
    decode: (text) => Either.getOrUndefined(decodeMessage(text)),
    inFlight: new Set(),
    lastPrune: new Map()
  }

  const unavailable = (agentId: string, path: string) => (error: unknown) =>
    new MailboxUnavailable({
      agentId,
      reason: error instanceof BusFileError ? error.reason : describeFileError(error, path),
      ...codeField(error),
      cause: error
    })

  /**
   * The inbox directory of an id; an id that is no valid inbox name (a foreign registry row) fails instead of escaping.
   */
  const inboxOf = (agentId: AgentId) =>
    Effect.suspend(() => {
      const problem = agentIdProblem(agentId)
      return problem === undefined
        ? Effect.try({
          try: () => busDir.inboxDir(agentId),
          catch: (error) => unavailable(agentId, busDir.inboxRoot)(error)
        })
        : Effect.fail(new MailboxUnavailable({ agentId, reason: problem }))
    })

  /**
   * The inbox directory, checked (and created, again if it was deleted) on every use; `passed` as for checkDirectory.
   */
  const ensureInbox = (agentId: AgentId, passed?: Set<string>) =>
    Effect.flatMap(
      inboxOf(agentId),
      (dir) =>
        Effect.as(
          Effect.try({ try: () => checkDirectory(busDir.tree, dir, true, passed), catch: unavailable(agentId, dir) }),
          dir
        )
    )

  /** The inbox directory when it exists and is usable; none when it does not exist; `passed` as for checkDirectory. */
  const existingInbox = (agentId: AgentId, passed?: Set<string>) =>
    Effect.flatMap(inboxOf(agentId), (dir) =>
      Effect.map(
        Effect.try({ try: () => checkDirectory(busDir.tree, dir, false, passed), catch: unavailable(agentId, dir) }),
        (exists) => exists ? Option.some(dir) : Option.none<string>()
      ))

  const deliver: MailboxShape["deliver"] = Effect.fn("Mailbox.deliver")(function*(agentId, message) {
    const dir = yield* ensureInbox(agentId)
    const outcome = yield* Effect.tryPromise({
      try: () => deliverFile(dir, messageFileName(message), JSON.stringify(message, null, 2), config.maxUnread),
      catch: unavailable(agentId, dir)
    })
    if (outcome._tag === "Full") {
      return yield* new InboxFull({ agentId, unread: outcome.unread, limit: config.maxUnread })
    }
  })

  const deliverEach: MailboxShape["deliverEach"] = Effect.fn("Mailbox.deliverEach")(function*(deliveries) {
    const passed = new Set<string>()
    const inboxes = yield* Effect.forEach(
      deliveries,
      (delivery) => Effect.either(ensureInbox(delivery.agentId, passed))
    )
    const files = deliveries.flatMap((delivery, index) => {
      const dir = inboxes[index]!
      return Either.isRight(dir)
        ? [{ dir: dir.right, name: messageFileName(delivery.message), data: JSON.stringify(delivery.message, null, 2) }]
        : []
    })
    const written = yield* Effect.promise(() => deliverFiles(files, config.maxUnread))
    let next = 0
    return deliveries.map((delivery, index): Either.Either<void, InboxFull | MailboxUnavailable> => {
      const dir = inboxes[index]!
      if (Either.isLeft(dir)) return Either.left(dir.left)
      const outcome = written[next++]!
      switch (outcome._tag) {
        case "Delivered":
          return Either.void
        case "Full":
          return Either.left(
            new InboxFull({ agentId: delivery.agentId, unread: outcome.unread, limit: config.maxUnread })
          )
        case "Failed":
          return Either.left(unavailable(delivery.agentId, dir.right)(outcome.error))
      }
    })
  })

  const unreadNames = (agentId: AgentId, dir: string) =>
    Effect.try({ try: () => fs.readdirSync(dir).filter(isMessageFileName).sort(), catch: unavailable(agentId, dir) })

  const pendingIn = (agentId: AgentId, dir: string) =>
    Effect.map(unreadNames(agentId, dir), (names) =>
      names.map((file): PendingMessage => {
        const head = readMessageHead(join(dir, file))
        return {
          file,
          id: head?.id ?? "",
          from: head?.from ?? "unknown",
          topic: head?.topic ?? null,
          priority: head?.priority ?? "normal"
        }
      }))

  const pending: MailboxShape["pending"] = Effect.fn("Mailbox.pending")(function*(agentId) {
    const dir = yield* existingInbox(agentId)
    return Option.isNone(dir) ? [] : yield* pendingIn(agentId, dir.value)
  })

  const take: MailboxShape["take"] = Effect.fn("Mailbox.take")(function*(agentId, topic, limit) {
    const dir = yield* inboxOf(agentId)
    const now = yield* Clock.currentTimeMillis
    const taken = yield* Effect.try({
      try: () => takeFiles(reader, dir, Option.getOrUndefined(topic), limit ?? defaultReadLimit, now),
      catch: unavailable(agentId, dir)
    })
    return heldUntilSettled(taken, (delivered) => {
      const problems = settleFiles(reader, dir, taken.held, delivered)
      return Effect.forEach(problems, (problem) => Effect.logWarning(`inbox of ${agentId}: ${problem}`), {
        discard: true
      })
    })
  })

  const claim = claimByTaking(take)

  const copies = copyMethods(reader, (agentId) => existingInbox(agentId))

  const { rescanned, watched } = inboxWaits(unavailable, config.mailRescan)

  const awaitNew: MailboxShape["awaitNew"] = (agentId, known) =>
    Effect.flatMap(
      ensureInbox(agentId),
      (dir) =>
        (config.mailWatch
          ? Effect.raceFirst(watched(agentId, dir, known), rescanned(agentId, dir, known))
          : rescanned(agentId, dir, known))
          .pipe(
            Effect.flatMap((names) =>
              Effect.map(pendingIn(agentId, dir), (all) => all.filter((message) => names.includes(message.file)))
            )
          )
    )

  const hasWaiter = (agentId: AgentId, passed?: Set<string>) =>
    Effect.map(
      Effect.option(existingInbox(agentId, passed)),
      (dir) => Option.isSome(dir) && Option.isSome(dir.value) && lockHeld(join(dir.value.value, waiterFile))
    )

  return {
    nextSentAt,
    ensureInbox: (agentId) =>
      Effect.flatMap(
        ensureInbox(agentId),
        (dir) =>
          Effect.try({
            try: () => checkDirectory(busDir.tree, join(dir, "archive"), true),
            catch: unavailable(agentId, dir)
          })
      ).pipe(
        Effect.asVoid
      ),
    deliver,
    deliverEach,
    pending,
    take,
    claim,
    awaitNew,
    ...copies,
    followInboxes: followFiles(busDir.tree, busDir.inboxRoot),
    holdWaiter: (agentId) =>
      Effect.acquireRelease(
        Effect.flatMap(ensureInbox(agentId), (dir) => Effect.try(() => tryLock(join(dir, waiterFile)))),
        (held) => held ? Effect.sync(() => releaseLock(join(busDir.inboxDir(agentId), waiterFile))) : Effect.void
      ).pipe(Effect.orElseSucceed(() => false)),
    hasWaiter: (agentId) => hasWaiter(agentId),
    waitersAmong: (agentIds) => {
      const passed = new Set<string>()
      return Effect.map(Effect.filter(agentIds, (agentId) => hasWaiter(agentId, passed)), (held) => new Set(held))
    }
  } satisfies MailboxShape
})

/** The mailboxes on the file system. */
export const layer = Layer.effect(Mailbox, make)
