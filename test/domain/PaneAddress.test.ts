import { describe, expect, it } from "vitest"
import { isPaneAddress, isWindowAddress, paneIdProblem, tmuxTargetProblem } from "../../src/domain/PaneAddress.js"

describe("pane addresses", () => {
  it.each(["%0", "%12", "%999999"])("accepts the pane id %s", (id) => {
    expect(paneIdProblem(id)).toBeUndefined()
  })

  it.each(["", "%", "12", "-t", "-X", "=main:", "%1;kill-server", "%1 ", " %1", "%-1", "%1.0", "@1", "$1", "{last}"])(
    "refuses %j as a pane id",
    (id) => {
      expect(paneIdProblem(id)).toMatch(/%12/)
    }
  )

  it.each(["main:0.1", "my session:12.3", "proj-x:1.0", "a/b:0.0", "日本:1.2"])("accepts the target %s", (target) => {
    expect(tmuxTargetProblem(target)).toBeUndefined()
  })

  it.each([
    "",
    "main",
    "main:0",
    "main:0.",
    ":0.0",
    "=main:0.0",
    "-t:0.0",
    "$1:0.0",
    "@1:0.0",
    "%1:0.0",
    "!:0.0",
    "~:0.0",
    "{last}:0.0",
    "a.b:0.0",
    "a:b:0.0",
    "main:x.0",
    "ma\u0000in:0.0",
    "main:0.0 "
  ])(
    "refuses %j as a target",
    (target) => {
      expect(tmuxTargetProblem(target)).toMatch(/session:window\.pane/)
    }
  )

  it("a pane address is a pane id or a target, nothing else", () => {
    expect(isPaneAddress("%3")).toBe(true)
    expect(isPaneAddress("main:0.0")).toBe(true)
    expect(isPaneAddress("-t")).toBe(false)
    expect(isPaneAddress("=main:")).toBe(false)
  })
})

describe("window addresses", () => {
  it("are window ids or an exact name in a session, nothing tmux would read as an option or a pattern", () => {
    expect(isWindowAddress("@4")).toBe(true)
    expect(isWindowAddress("main:=warroom")).toBe(true)
    expect(isWindowAddress("$2:=warroom")).toBe(true)
    for (const value of ["-a", "=x", "@", "main", "main:warroom", "-t:=x", ":=x", "@4 "]) {
      expect(isWindowAddress(value), value).toBe(false)
    }
  })
})
