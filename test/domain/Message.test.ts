import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { messageFileName, MessageFromJson } from "../../src/domain/Message.js"

const referenceFile = JSON.stringify(
  {
    id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    from: "web:frontend",
    to: "api:backend",
    reply_to: "web:frontend",
    topic: null,
    content: "schema changed",
    sent_at: "2026-03-16T12:00:00.123456+00:00",
    priority: "high"
  },
  null,
  2
)

describe("messageFileName", () => {
  it("names a file like the reference: sent_at with '-' for ':', then the id's first 8 characters", () => {
    expect(messageFileName({ sent_at: "2026-03-16T12:00:00.123456+00:00", id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" }))
      .toBe("2026-03-16T12-00-00.123456+00-00_1a2b3c4d.json")
  })

  it("sorts names of later sends after earlier ones", () => {
    const early = messageFileName({ sent_at: "2026-03-16T12:00:00.999999+00:00", id: "ffffffff" })
    const late = messageFileName({ sent_at: "2026-03-16T12:00:01.000000+00:00", id: "00000000" })
    expect(early < late).toBe(true)
  })
})

describe("MessageFromJson", () => {
  it("reads a message file the reference wrote, ignoring extra keys", () => {
    const decoded = Schema.decodeUnknownEither(MessageFromJson)(referenceFile)
    expect(Either.isRight(decoded)).toBe(true)
    expect(Either.getOrThrow(decoded)).toMatchObject({ from: "web:frontend", topic: null, content: "schema changed" })
  })

  it("rejects a file missing a required key", () => {
    const { content: _content, ...partial } = JSON.parse(referenceFile) as Record<string, unknown>
    expect(Either.isLeft(Schema.decodeUnknownEither(MessageFromJson)(JSON.stringify(partial)))).toBe(true)
  })
})
