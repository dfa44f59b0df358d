/** Bash completion scripts of the built binaries, run in bash the way it completes a command line. */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { busBin, makeTempDir, removeTempDirs } from "../support/mcpClient.js"

afterEach(() => removeTempDirs())

const warroomBin = fileURLToPath(new URL("../../bin/helioy-warroom.js", import.meta.url))

/** The words bash offers for `words` (the last one being completed), from the script `<bin> --completions bash`. */
const complete = (bin: string, name: string, words: ReadonlyArray<string>): ReadonlyArray<string> => {
  const generated = spawnSync(process.execPath, [bin, "--completions", "bash"], { encoding: "utf8" })
  expect(generated.status).toBe(0)
  const script = join(makeTempDir("helioy-completion-"), "completion.bash")
  fs.writeFileSync(script, generated.stdout)
  const cword = words.length - 1
  const program = [
    `source ${JSON.stringify(script)}`,
    `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(" ")})`,
    `COMP_CWORD=${cword}`,
    // bash calls the function with the command, the word being completed and the word before it.
    `_${name}_bash_completions ${JSON.stringify(name)} ${JSON.stringify(words[cword])} ${
      JSON.stringify(words[cword - 1])
    }`,
    "printf '%s\\n' \"${COMPREPLY[@]}\""
  ].join("\n")
  const result = spawnSync("bash", ["-c", program], { encoding: "utf8" })
  expect(result.stderr).toBe("")
  return result.stdout.split("\n").filter((word) => word !== "")
}

describe("bash completion", () => {
  it("`helioy-bus install <TAB>` offers install's runtimes and options, not the top-level commands", () => {
    const offered = complete(busBin, "helioy-bus", ["helioy-bus", "install", ""])
    expect(offered).toEqual(expect.arrayContaining(["claude", "codex", "--dry-run"]))
    expect(offered).not.toContain("serve")
    expect(offered).not.toContain("doctor")
  })

  it("`helioy-bus <TAB>` offers the top-level commands, `hook <TAB>` the hook events", () => {
    expect(complete(busBin, "helioy-bus", ["helioy-bus", ""])).toEqual(
      expect.arrayContaining(["install", "serve", "doctor", "hook", "agents", "send", "tail", "dashboard"])
    )
    expect(complete(busBin, "helioy-bus", ["helioy-bus", "hook", ""])).toEqual(
      expect.arrayContaining(["session-start", "wait-mail"])
    )
    expect([...complete(busBin, "helioy-bus", ["helioy-bus", "in"])].sort()).toEqual(["inbox", "install"])
  })

  it("`helioy-warroom status --<TAB>` offers status's options, not the top-level ones", () => {
    expect(complete(warroomBin, "helioy-warroom", ["helioy-warroom", ""])).toEqual(
      expect.arrayContaining(["spawn", "status", "presets"])
    )
    const offered = complete(warroomBin, "helioy-warroom", ["helioy-warroom", "status", "--"])
    expect(offered).toContain("--json")
    expect(offered).not.toContain("--permission-mode")
  })
})
