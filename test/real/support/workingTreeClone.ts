/** A clone of this repository as a user gets it, holding the code under test even before it is committed. */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url))

const git = (cwd: string, args: ReadonlyArray<string>) => execFileSync("git", args, { cwd, encoding: "utf8" })

/**
 * Clones this repository into `target` and commits its working tree there as one more commit (changed, new and
 * deleted files; nothing git ignores): no dist/, no node_modules.
 */
export const cloneWorkingTree = (target: string) => {
  git(dirname(target), ["clone", "-q", "--no-hardlinks", repoRoot, target])
  const changed = git(repoRoot, ["ls-files", "-z", "--modified", "--others", "--deleted", "--exclude-standard"]).split(
    "\0"
  ).filter((path) => path !== "")
  for (const path of new Set(changed)) {
    const from = join(repoRoot, path)
    if (fs.existsSync(from)) {
      fs.mkdirSync(dirname(join(target, path)), { recursive: true })
      fs.copyFileSync(from, join(target, path))
    } else {
      fs.rmSync(join(target, path), { force: true })
    }
  }
  git(target, ["add", "-A"])
  git(target, [
    "-c",
    "user.name=helioy-test",
    "-c",
    "user.email=test@helioy.invalid",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "working tree under test"
  ])
}
