import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { readBusFile } from "../../src/busFiles/boundedRead.js"
import { freshDir, isRoot, mkfifo, removeDirs } from "./files.js"

afterEach(removeDirs)

describe("readBusFile", () => {
  it("reads a regular file of one link, and reports a missing one as missing", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "a.json"), "{\"x\":1}")
    expect(readBusFile(join(dir, "a.json"), { maxBytes: 100 })).toEqual({ _tag: "Text", text: "{\"x\":1}", size: 7 })
    expect(readBusFile(join(dir, "gone.json"), { maxBytes: 100 })).toEqual({ _tag: "Missing" })
  })

  it("refuses a symlink without reading its target", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "secret"), "secret")
    fs.symlinkSync(join(dir, "secret"), join(dir, "link.json"))
    expect(readBusFile(join(dir, "link.json"), { maxBytes: 100 })).toMatchObject({
      _tag: "Refused",
      refusal: "symlink"
    })
  })

  it("refuses a FIFO at once instead of waiting for a writer", () => {
    const dir = freshDir()
    mkfifo(join(dir, "fifo.json"))
    expect(readBusFile(join(dir, "fifo.json"), { maxBytes: 100 })).toMatchObject({
      _tag: "Refused",
      refusal: "not-a-file"
    })
  })

  it("refuses a file with a second hard link (a link to a file elsewhere), unless told any link count will do", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "outside"), "4242")
    fs.linkSync(join(dir, "outside"), join(dir, "inside.json"))
    expect(readBusFile(join(dir, "inside.json"), { maxBytes: 100 })).toMatchObject({
      _tag: "Refused",
      refusal: "linked",
      links: 2
    })
    expect(readBusFile(join(dir, "inside.json"), { maxBytes: 100, anyLinks: true })).toMatchObject({
      _tag: "Text",
      text: "4242"
    })
  })

  it("refuses a file over the limit, or reads only its head when asked to", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "big.json"), "0123456789")
    expect(readBusFile(join(dir, "big.json"), { maxBytes: 4 })).toMatchObject({ _tag: "Refused", refusal: "too-large" })
    expect(readBusFile(join(dir, "big.json"), { maxBytes: 4, head: true })).toEqual({
      _tag: "Text",
      text: "0123",
      size: 10
    })
  })

  it.skipIf(!isRoot)("refuses a file that belongs to another user", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "theirs.json"), "{}")
    fs.chownSync(join(dir, "theirs.json"), 12345, 12345)
    expect(readBusFile(join(dir, "theirs.json"), { maxBytes: 100 })).toMatchObject({
      _tag: "Refused",
      refusal: "foreign"
    })
  })
})
