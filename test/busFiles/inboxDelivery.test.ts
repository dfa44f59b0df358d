import * as fs from "node:fs"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { deliverFile, deliverFiles } from "../../src/busFiles/inboxDelivery.js"
import { freshDir, removeDirs } from "./files.js"

afterEach(removeDirs)

const name = (n: number) => `2026-03-16T12-00-00.${String(n).padStart(6, "0")}+00-00_${String(n).padStart(8, "0")}.json`

describe("deliverFile", () => {
  it("50 concurrent deliveries into an inbox capped at 20: exactly 20 delivered, the rest told it is full", async () => {
    const inbox = freshDir()
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, n) => deliverFile(inbox, name(n), `{"n":${n}}`, 20))
    )
    expect(outcomes.filter((outcome) => outcome._tag === "Delivered")).toHaveLength(20)
    expect(outcomes.filter((outcome) => outcome._tag === "Full")).toHaveLength(30)
    expect(fs.readdirSync(inbox).filter((entry) => entry.endsWith(".json"))).toHaveLength(20)
    expect(fs.readdirSync(inbox).filter((entry) => entry.startsWith("."))).toEqual([])
  })

  it("the last place waits for a delivery still in flight in another live process, and is given once that one gives up", async () => {
    const inbox = freshDir()
    await deliverFile(inbox, name(0), "{}", 2)
    // Another process (our parent, alive) is staging a message: it may take the last place.
    const staged = join(inbox, `.${name(1)}.${process.ppid}.0123456789ab.tmp`)
    fs.writeFileSync(staged, "{}")
    const locked = new Promise<void>((resolve) => {
      const watcher = fs.watch(inbox, (_, file) => {
        if (file === ".deliver.lock") {
          watcher.close()
          resolve()
        }
      })
    })
    const delivery = deliverFile(inbox, name(2), "{}", 2)
    await locked
    fs.rmSync(staged)
    expect(await delivery).toEqual({ _tag: "Delivered" })
    expect(fs.readdirSync(inbox).filter((entry) => entry.endsWith(".json")).sort()).toEqual([name(0), name(2)])
  })

  it("a batch to three inboxes, one full and one name taken: each told its own outcome, no staged file left behind", async () => {
    const [open, full, taken] = [freshDir(), freshDir(), freshDir()]
    await deliverFile(full, name(0), "{}", 2)
    await deliverFile(full, name(2), "{}", 2)
    await deliverFile(taken, name(1), "first", 2)
    const outcomes = await deliverFiles([
      { dir: open, name: name(1), data: "a" },
      { dir: full, name: name(1), data: "b" },
      { dir: taken, name: name(1), data: "c" }
    ], 2)
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(["Delivered", "Full", "Failed"])
    expect(outcomes[2]).toMatchObject({ error: { code: "EEXIST" } })
    expect(fs.readFileSync(join(open, name(1)), "utf8")).toBe("a")
    expect(fs.readFileSync(join(taken, name(1)), "utf8")).toBe("first")
    for (const dir of [open, full, taken]) {
      expect(fs.readdirSync(dir).filter((entry) => entry.startsWith("."))).toEqual([])
    }
  })

  it("a name taken already fails with EEXIST and changes nothing", async () => {
    const inbox = freshDir()
    await deliverFile(inbox, name(0), "first", 10)
    await expect(deliverFile(inbox, name(0), "second", 10)).rejects.toMatchObject({ code: "EEXIST" })
    expect(fs.readFileSync(join(inbox, name(0)), "utf8")).toBe("first")
    expect(fs.readdirSync(inbox)).toEqual([name(0)])
  })
})
