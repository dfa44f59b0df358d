/**
 * The id, sender, topic and priority of a message file, read from its first few KiB (what hooks, waiters and summaries
 * need, at any file size).
 */
import { type Priority, priorityOf } from "../domain/Message.js"
import { isBeingPublished } from "./atomicWrite.js"
import { readBusFile } from "./boundedRead.js"

/** Which message it is, who sent it and on which topic. */
export interface MessageHead {
  /** The message id ("" when the file names none). */
  readonly id: string
  readonly from: string
  readonly topic: string | null
  /** `urgent` when the file says so (this bus writes the key before the content); else normal. */
  readonly priority: Priority
}

const headBytes = 8192

const stringField = (text: string, key: string): string | undefined => {
  const match = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text)
  if (!match) return undefined
  try {
    const value: unknown = JSON.parse(match[1]!)
    return typeof value === "string" ? value : undefined
  } catch {
    return undefined
  }
}

const fromObject = (text: string): MessageHead | undefined => {
  try {
    const value = JSON.parse(text) as Record<string, unknown> | null
    if (typeof value !== "object" || value === null || typeof value.from !== "string") return undefined
    return {
      id: typeof value.id === "string" ? value.id : "",
      from: value.from,
      topic: typeof value.topic === "string" ? value.topic : null,
      priority: priorityOf({ priority: typeof value.priority === "string" ? value.priority : undefined })
    }
  } catch {
    return undefined
  }
}

/**
 * The id, sender, topic and priority of the message file at `path`, read safely (no link followed, nothing but a regular file of
 * one link, or the two of a delivery being put into place) from its first 8 KiB; undefined when the file is refused or
 * holds no sender there.
 */
export const readMessageHead = (path: string): MessageHead | undefined => {
  let read = readBusFile(path, { maxBytes: headBytes, head: true })
  // Two links: a delivery between linking and removing its temporary name (read again: that name may be gone now).
  if (read._tag === "Refused" && read.refusal === "linked") {
    read = readBusFile(path, { maxBytes: headBytes, head: true, anyLinks: isBeingPublished(path) })
  }
  if (read._tag !== "Text") return undefined
  if (read.size <= headBytes) return fromObject(read.text)
  const from = stringField(read.text, "from")
  if (from === undefined) return undefined
  const topic = /"topic"\s*:\s*null/.test(read.text) ? null : stringField(read.text, "topic") ?? null
  return {
    id: stringField(read.text, "id") ?? "",
    from,
    topic,
    priority: priorityOf({ priority: stringField(read.text, "priority") })
  }
}
