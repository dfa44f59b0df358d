import { describe, expect, it } from "vitest"
import {
  choosePermissions,
  claudePermissionFlags,
  codexPermissionFlags,
  defaultPermissions,
  permissionProblem
} from "../../src/domain/Permissions.js"
import * as RuntimesLive from "../../src/layers/RuntimesLive.js"

describe("members' permissions", () => {
  it("default everywhere means no flag at all: each runtime keeps its own default", () => {
    expect(choosePermissions([])).toEqual({ ok: true, value: defaultPermissions })
    expect(claudePermissionFlags("default")).toEqual([])
    expect(codexPermissionFlags("default", "default")).toEqual([])
  })

  it("the first choice that names a value wins: the spawn's, then the preset's, then the configuration's", () => {
    const chosen = choosePermissions([{ claudeMode: "" }, { claudeMode: "plan", codexSandbox: "read-only" }, {
      claudeMode: "auto",
      codexApproval: "never"
    }])
    expect(chosen).toEqual({
      ok: true,
      value: { claudeMode: "plan", codexSandbox: "read-only", codexApproval: "never" }
    })
  })

  it("an unknown value is refused, naming the allowed ones", () => {
    const chosen = choosePermissions([{ codexSandbox: "yolo" }])
    expect(chosen).toEqual({
      ok: false,
      error: "unknown Codex sandbox 'yolo'; one of: default, read-only, workspace-write, danger-full-access"
    })
  })

  it("Claude Code's bypass is refused for root before anything launches, and only then", () => {
    const bypass = { ...defaultPermissions, claudeMode: "bypassPermissions" as const }
    expect(permissionProblem("claude", bypass, 0)).toMatch(/refuses the bypassPermissions mode for root/)
    expect(permissionProblem("claude-opus", bypass, 0)).toBeDefined()
    expect(permissionProblem("claude", bypass, 1000)).toBeUndefined()
    expect(permissionProblem("codex", bypass, 0)).toBeUndefined()
    expect(permissionProblem("claude", defaultPermissions, 0)).toBeUndefined()
  })

  it("the launch commands carry exactly the flags asked for, and no bypass unless asked", () => {
    const runtimes = RuntimesLive.fromSettings(RuntimesLive.testSettings)
    const claude = runtimes.get("claude")
    const codex = runtimes.get("codex")
    if (claude._tag === "None" || codex._tag === "None") throw new Error("no adapters")
    expect(claude.value.launch({}).args).toEqual([])
    expect(claude.value.launch({ permissions: { ...defaultPermissions, claudeMode: "acceptEdits" } }).args).toEqual([
      "--permission-mode",
      "acceptEdits"
    ])
    const codexArgs = codex.value.launch({}).args
    expect(codexArgs.slice(codexArgs.indexOf("--") + 1)).toEqual(["codex"])
    const strict = codex.value.launch({
      permissions: { ...defaultPermissions, codexSandbox: "read-only", codexApproval: "on-request" }
    }).args
    expect(strict.slice(strict.indexOf("--") + 1)).toEqual([
      "codex",
      "--sandbox",
      "read-only",
      "--ask-for-approval",
      "on-request"
    ])
    for (const spec of [claude.value.launch({}), codex.value.launch({})]) {
      expect(spec.args.join(" ")).not.toMatch(/dangerously/)
    }
  })
})
