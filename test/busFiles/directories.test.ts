import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { checkDirectory, openBusTree } from "../../src/busFiles/directories.js"
import { BusFileError } from "../../src/busFiles/fileErrors.js"
import { freshDir, isRoot, removeDirs } from "./files.js"

const mounts: Array<string> = []

afterEach(() => {
  for (const point of mounts.splice(0)) execFileSync("umount", ["-l", point], { stdio: "pipe" })
  removeDirs()
})

const refusal = (run: () => unknown): BusFileError => {
  try {
    run()
  } catch (error) {
    if (error instanceof BusFileError) return error
    throw error
  }
  throw new Error("not refused")
}

const canMount = (() => {
  if (!isRoot) return false
  const probe = freshDir()
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "pipe" })
    execFileSync("umount", [probe], { stdio: "pipe" })
    return true
  } catch {
    return false
  }
})()

describe("checkDirectory", () => {
  it("creates the missing directories of a path 0700, even under umask 0, and says whether one was missing", () => {
    const root = freshDir()
    const tree = openBusTree(root)
    const previous = process.umask(0)
    try {
      expect(checkDirectory(tree, join(root, "inbox", "a:b", "claimed"), false)).toBe(false)
      expect(checkDirectory(tree, join(root, "inbox", "a:b", "claimed"), true)).toBe(true)
    } finally {
      process.umask(previous)
    }
    for (const dir of ["inbox", "inbox/a:b", "inbox/a:b/claimed"]) {
      expect(fs.statSync(join(root, dir)).mode & 0o777).toBe(0o700)
    }
  })

  it("refuses a symlink anywhere on the way, naming it, and creates nothing behind it", () => {
    const root = freshDir()
    const outside = freshDir()
    const tree = openBusTree(root)
    fs.mkdirSync(join(root, "inbox"), { mode: 0o700 })
    fs.symlinkSync(outside, join(root, "inbox", "a:b"))
    const error = refusal(() => checkDirectory(tree, join(root, "inbox", "a:b", "archive"), true))
    expect(error.path).toBe(join(root, "inbox", "a:b"))
    expect(error.message).toMatch(/is a symlink; the bus never follows links/)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("refuses a group- or world-writable directory with the chmod that fixes it", () => {
    const root = freshDir()
    const tree = openBusTree(root)
    fs.mkdirSync(join(root, "inbox"))
    fs.chmodSync(join(root, "inbox"), 0o777)
    expect(refusal(() => checkDirectory(tree, join(root, "inbox"), false)).message).toMatch(
      /mode 777\); run: chmod 700/
    )
  })

  it("refuses a file where a directory should be, and a path outside the bus dir", () => {
    const root = freshDir()
    const tree = openBusTree(root)
    fs.writeFileSync(join(root, "inbox"), "")
    expect(refusal(() => checkDirectory(tree, join(root, "inbox", "x"), true)).message).toMatch(/not a directory/)
    expect(refusal(() => checkDirectory(tree, join(root, "..", "elsewhere"), true)).message).toMatch(
      /outside the bus dir/
    )
  })

  it.skipIf(!isRoot)("refuses a directory that belongs to another user", () => {
    const root = freshDir()
    const tree = openBusTree(root)
    fs.mkdirSync(join(root, "inbox"), { mode: 0o700 })
    fs.chownSync(join(root, "inbox"), 12345, 12345)
    expect(refusal(() => checkDirectory(tree, join(root, "inbox"), false)).message).toMatch(/belongs to uid 12345/)
  })

  it.skipIf(!canMount)("refuses a directory on another file system mounted inside the bus dir", () => {
    const root = freshDir()
    const tree = openBusTree(root)
    fs.mkdirSync(join(root, "inbox"), { mode: 0o700 })
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", join(root, "inbox")], { stdio: "pipe" })
    mounts.push(join(root, "inbox"))
    expect(refusal(() => checkDirectory(tree, join(root, "inbox"), false)).message).toMatch(/another file system/)
  })
})
