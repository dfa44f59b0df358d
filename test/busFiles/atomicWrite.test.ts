import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import {
  createFileAtomically,
  replaceFileAtomically,
  stageFile,
  tempFileWriter
} from "../../src/busFiles/atomicWrite.js"
import { freshDir, removeDirs } from "./files.js"

afterEach(removeDirs)

const umaskZero = <A>(run: () => Promise<A>) => {
  const previous = process.umask(0)
  return run().finally(() => process.umask(previous))
}

describe("createFileAtomically", () => {
  it("writes the whole file mode 0600 whatever the umask, and leaves no temporary file", async () => {
    const dir = freshDir()
    await umaskZero(() => createFileAtomically(dir, "m.json", "x".repeat(100_000)))
    expect(fs.readFileSync(join(dir, "m.json"), "utf8")).toHaveLength(100_000)
    expect(fs.statSync(join(dir, "m.json")).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(["m.json"])
  })

  it("fails on a name that exists, overwriting nothing and leaving no temporary file", async () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "m.json"), "first")
    await expect(createFileAtomically(dir, "m.json", "second")).rejects.toMatchObject({ code: "EEXIST" })
    expect(fs.readFileSync(join(dir, "m.json"), "utf8")).toBe("first")
    expect(fs.readdirSync(dir)).toEqual(["m.json"])
  })

  it("never writes through a symlink at the name: the link's target stays as it was", async () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "victim"), "untouched")
    fs.symlinkSync(join(dir, "victim"), join(dir, "m.json"))
    await expect(createFileAtomically(dir, "m.json", "planted")).rejects.toMatchObject({ code: "EEXIST" })
    expect(fs.readFileSync(join(dir, "victim"), "utf8")).toBe("untouched")
  })
})

describe("replaceFileAtomically", () => {
  it("replaces a symlink at the name by the file itself, leaving the link's target alone", async () => {
    const dir = freshDir()
    fs.writeFileSync(join(dir, "victim"), "untouched")
    fs.symlinkSync(join(dir, "victim"), join(dir, "4242"))
    await replaceFileAtomically(dir, "4242", "agent:general")
    expect(fs.lstatSync(join(dir, "4242")).isFile()).toBe(true)
    expect(fs.readFileSync(join(dir, "4242"), "utf8")).toBe("agent:general")
    expect(fs.readFileSync(join(dir, "victim"), "utf8")).toBe("untouched")
  })

  it("gives the file exactly the mode asked for", async () => {
    const dir = freshDir()
    await umaskZero(() => replaceFileAtomically(dir, "config.toml", "a = 1", { mode: 0o640 }))
    expect(fs.statSync(join(dir, "config.toml")).mode & 0o777).toBe(0o640)
  })
})

describe("temporary names", () => {
  it("start with a dot, end in .tmp (never .json) and carry the writer's pid", async () => {
    const dir = freshDir()
    const temp = await stageFile(dir, "m.json", "x", 0o600)
    const name = temp.slice(dir.length + 1)
    expect(name).toMatch(/^\.m\.json\.\d+\.[0-9a-f]{12}\.tmp$/)
    expect(tempFileWriter(name)).toBe(process.pid)
    expect(tempFileWriter("m.json")).toBeUndefined()
  })
})
