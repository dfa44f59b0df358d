/**
 * The real Claude Code, Codex and Gemini CLI from npm, pinned, installed outside the repo into a cache dir (once; later runs
 * reuse it): `$HELIOY_REAL_CLIENTS_DIR`, default `~/.cache/helioy-bus/real-clients/<versions>`.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"

/** The versions the real-client suite is proven against. */
export const clientVersions = { claude: "2.1.330", codex: "0.171.0", gemini: "0.61.0" } as const

/** Where the pinned clients live. */
export const clientsDir = (): string =>
  process.env.HELIOY_REAL_CLIENTS_DIR ||
  join(
    homedir(),
    ".cache",
    "helioy-bus",
    "real-clients",
    `claude-${clientVersions.claude}_codex-${clientVersions.codex}_gemini-${clientVersions.gemini}`
  )

/** The directory holding the `claude`, `codex` and `gemini` executables. */
export const clientsBin = (): string => join(clientsDir(), "node_modules", ".bin")

const installedVersion = (pkg: string): string | undefined => {
  try {
    return (JSON.parse(fs.readFileSync(join(clientsDir(), "node_modules", pkg, "package.json"), "utf8")) as {
      version?: string
    }).version
  } catch {
    return undefined
  }
}

/** Installs the pinned clients into the cache dir unless they are there already; throws when npm fails. */
export const ensureClients = (): void => {
  if (
    installedVersion("@anthropic-ai/claude-code") === clientVersions.claude &&
    installedVersion("@openai/codex") === clientVersions.codex &&
    installedVersion("@google/gemini-cli") === clientVersions.gemini
  ) return
  fs.mkdirSync(clientsDir(), { recursive: true })
  fs.writeFileSync(join(clientsDir(), "package.json"), JSON.stringify({ name: "helioy-real-clients", private: true }))
  execFileSync("npm", [
    "install",
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--prefix",
    clientsDir(),
    `@anthropic-ai/claude-code@${clientVersions.claude}`,
    `@openai/codex@${clientVersions.codex}`,
    `@google/gemini-cli@${clientVersions.gemini}`
  ], { stdio: "inherit" })
}
