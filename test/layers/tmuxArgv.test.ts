import { describe, expect, it } from "@effect/vitest"
import { envFlags, execArgv, literal, sessionTarget, tmuxCommandArgument } from "../../src/layers/tmuxArgv.js"

describe("tmux argv", () => {
  it("a command of several arguments is handed to tmux as is (tmux execs it without a shell)", () => {
    expect(execArgv(["claude", "--agent", "x; rm -rf ~"])).toEqual(["claude", "--agent", "x; rm -rf ~"])
  })

  it("a lone program goes through env, so tmux does not give it to sh -c", () => {
    expect(execArgv(["/opt/my runtime"])).toEqual(["env", "/opt/my runtime"])
  })

  it("a lone program env would misread is passed to sh as a positional parameter, never parsed", () => {
    expect(execArgv(["-x"])).toEqual(["/bin/sh", "-c", "exec \"$0\"", "-x"])
    expect(execArgv(["/bin/a=b"])).toEqual(["/bin/sh", "-c", "exec \"$0\"", "/bin/a=b"])
  })

  it("formats are escaped, variables become -e flags, sessions are matched exactly", () => {
    expect(literal("a#{pane_id}#")).toBe("a##{pane_id}##")
    expect(envFlags({ A: "1", B: "x y" })).toEqual(["-e", "A=1", "-e", "B=x y"])
    expect(sessionTarget("work")).toBe("=work:")
    expect(sessionTarget("$3")).toBe("$3:")
  })

  it("a command for run-shell is one tmux argument taken literally: quotes, backslashes and $ escaped, # doubled", () => {
    expect(tmuxCommandArgument("HELIOY_BUS_DIR='/b #(x) #{y} $HOME \\ \"' node")).toBe(
      "\"HELIOY_BUS_DIR='/b ##(x) ##{y} \\$HOME \\\\ \\\"' node\""
    )
  })
})
