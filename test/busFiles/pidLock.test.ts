import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { lockHeld, releaseLock, tryLock } from "../../src/busFiles/pidLock.js"
import { deadPid, freshDir, mkfifo, removeDirs } from "./files.js"

const children: Array<ReturnType<typeof spawn>> = []

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL")
  removeDirs()
})

describe("pid lock files", () => {
  it("a free lock is taken and released by its owner only", () => {
    const lock = join(freshDir(), ".lock")
    expect(tryLock(lock)).toBe(true)
    expect(fs.readFileSync(lock, "utf8")).toBe(String(process.pid))
    expect(lockHeld(lock)).toBe(true)
    releaseLock(lock)
    expect(fs.existsSync(lock)).toBe(false)
    fs.writeFileSync(lock, "1")
    releaseLock(lock)
    expect(fs.existsSync(lock)).toBe(true)
  })

  it("a live owner keeps its lock; a dead owner's lock is broken and taken", () => {
    const dir = freshDir()
    const child = spawn("sleep", ["600"], { stdio: "ignore" })
    children.push(child)
    fs.writeFileSync(join(dir, "live"), String(child.pid))
    fs.writeFileSync(join(dir, "dead"), String(deadPid))
    expect(tryLock(join(dir, "live"))).toBe(false)
    expect(fs.readFileSync(join(dir, "live"), "utf8")).toBe(String(child.pid))
    expect(tryLock(join(dir, "dead"))).toBe(true)
    expect(fs.readFileSync(join(dir, "dead"), "utf8")).toBe(String(process.pid))
    expect(fs.readdirSync(dir).sort()).toEqual(["dead", "live"])
  })

  it("a symlink planted at the lock's name is removed, never written through", () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "victim"), "untouched")
    fs.symlinkSync(join(dir, "victim"), join(dir, ".lock"))
    expect(tryLock(join(dir, ".lock"))).toBe(true)
    expect(fs.readFileSync(join(dir, "victim"), "utf8")).toBe("untouched")
    expect(fs.lstatSync(join(dir, ".lock")).isFile()).toBe(true)
  })

  it("a FIFO at the lock's name is neither opened nor taken for a lock: the caller is told to move it aside", () => {
    const dir = freshDir()
    mkfifo(join(dir, ".lock"))
    expect(lockHeld(join(dir, ".lock"))).toBe(false)
    expect(() => tryLock(join(dir, ".lock"))).toThrow(/not a lock file; move it aside/)
  })
})
