import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { pruneArchive } from "../../src/busFiles/archivePrune.js"
import { openBusTree } from "../../src/busFiles/directories.js"
import { freshDir, removeDirs } from "./files.js"

afterEach(removeDirs)

const day = 86_400_000
const ttl = 7 * day

const plant = (dir: string, name: string, ageDays: number, now: number) => {
  fs.writeFileSync(join(dir, name), name)
  const when = new Date(now - ageDays * day)
  fs.utimesSync(join(dir, name), when, when)
}

describe("pruneArchive", () => {
  it("deletes only message files the bus named that are older than the TTL", () => {
    const root = freshDir()
    const archive = join(root, "archive")
    fs.mkdirSync(archive, { mode: 0o700 })
    const now = Date.now()
    const old = "2026-03-16T12-00-00.123456+00-00_1a2b3c4d.json"
    const young = "2026-03-17T12-00-00.123456+00-00_5e6f7a8b.json"
    plant(archive, old, 8, now)
    plant(archive, young, 1, now)
    for (const other of ["notes.json", "keep.txt", ".hidden.json"]) plant(archive, other, 30, now)
    fs.mkdirSync(join(archive, "2020-01-01T00-00-00.000000+00-00_0000000d.json"))

    expect(pruneArchive(openBusTree(root), archive, now, ttl)).toBe(1)

    expect(fs.readdirSync(archive).sort()).toEqual(
      [".hidden.json", "2020-01-01T00-00-00.000000+00-00_0000000d.json", young, "keep.txt", "notes.json"].sort()
    )
  })

  it("deletes nothing when archive/ is a symlink to another directory", () => {
    const root = freshDir()
    const outside = freshDir()
    const now = Date.now()
    plant(outside, "2026-03-16T12-00-00.123456+00-00_1a2b3c4d.json", 30, now)
    fs.symlinkSync(outside, join(root, "archive"))
    expect(pruneArchive(openBusTree(root), join(root, "archive"), now, ttl)).toBe(0)
    expect(fs.readdirSync(outside)).toHaveLength(1)
  })
})
