import { describe, expect, it } from "vitest"
import {
  fallbackShells,
  foregroundOf,
  type ProcessRow,
  programKind,
  programName,
  shellNames
} from "../../src/domain/PaneProgram.js"

const etcShells =
  "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/bash\n/bin/rbash\n/usr/local/bin/fish  # fish\n\n/usr/bin/tmux\n"

describe("shells", () => {
  it("reads the basenames of /etc/shells, skipping comments and blank lines", () => {
    expect([...shellNames(etcShells)].sort()).toEqual(["bash", "fish", "rbash", "sh", "tmux"])
  })

  it("compares process names by basename, without a login shell's dash or a title after ':'", () => {
    expect(programName("-bash")).toBe("bash")
    expect(programName("/usr/bin/zsh")).toBe("zsh")
    expect(programName("tmux: client")).toBe("tmux")
    expect(programName("  node ")).toBe("node")
  })

  it("a program goes by any of its names: one that is a shell makes it a shell, a multiplexer wins over both", () => {
    const shells = shellNames(etcShells)
    expect(programKind(["claude", "/usr/bin/node", "claude"], shells)).toBe("program")
    expect(programKind(["rbash", "/usr/bin/bash", "rbash"], shells)).toBe("shell")
    expect(programKind(["bash", "/usr/bin/bash", "claude"], shells)).toBe("shell")
    expect(programKind(["tmux: client", "/usr/bin/tmux", "tmux"], shells)).toBe("multiplexer")
    expect(programKind(["screen"], shells)).toBe("multiplexer")
    expect(programKind([], shells)).toBe("shell")
    expect(programKind(["zsh"], fallbackShells)).toBe("shell")
  })
})

describe("foregroundOf", () => {
  const row = (pid: number, ppid: number, pgrp: number, tpgid: number): ProcessRow => ({ pid, ppid, pgrp, tpgid })

  it("is the leader of the pane's foreground process group among the pane's process and its descendants", () => {
    // pane shell 10 runs claude 20 (its own group, in the foreground), which runs a tool 21 in claude's group.
    const table = [row(1, 0, 1, -1), row(10, 1, 10, 20), row(20, 10, 20, 20), row(21, 20, 20, 20), row(30, 1, 30, 20)]
    expect(foregroundOf(table, 10)).toEqual(row(20, 10, 20, 20))
  })

  it("is the pane's process itself when it is in the foreground (a shell at its prompt)", () => {
    expect(foregroundOf([row(10, 1, 10, 10)], 10)).toEqual(row(10, 1, 10, 10))
  })

  it("is nothing when the foreground group is outside the pane's tree, or there is none", () => {
    expect(foregroundOf([row(10, 1, 10, 99), row(99, 1, 99, 99)], 10)).toBeUndefined()
    expect(foregroundOf([row(10, 1, 10, -1)], 10)).toBeUndefined()
    expect(foregroundOf([], 10)).toBeUndefined()
  })

  it("takes a member of the group when its leader has exited", () => {
    expect(foregroundOf([row(10, 1, 10, 20), row(21, 10, 20, 20)], 10)).toEqual(row(21, 10, 20, 20))
  })
})
