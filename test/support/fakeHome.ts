/**
 * A fake HOME holding a user's existing Claude Code, Codex and Gemini CLI configuration (their own settings, servers and hooks),
 * and a runner for the built `helioy-bus` with that HOME.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { busBin, makeTempDir } from "./mcpClient.js"

/** The user's own hook, which every install must keep. */
export const userHook = { type: "command", command: "$HOME/bin/notify.sh", timeout: 3 }

/** The user's `~/.claude.json`. */
export const userClaudeJson = {
  numStartups: 42,
  oauthAccount: { emailAddress: "me@example.test" },
  mcpServers: { github: { type: "http", url: "https://example.test/mcp" } },
  projects: { "/work/api": { allowedTools: [] } }
}

/** The user's `~/.claude/settings.json`. */
export const userClaudeSettings = {
  model: "opus",
  permissions: { allow: ["Bash(ls:*)"] },
  hooks: {
    Stop: [{ hooks: [userHook] }],
    PreToolUse: [{ matcher: "Bash", hooks: [userHook] }]
  }
}

/** The user's `~/.codex/config.toml`, comments and all. */
export const userCodexConfig = `# my codex settings
model = "gpt-5.6-sol"   # keep this comment

[mcp_servers.github]
command = "npx"
args = ["-y", "@github/mcp"]

[features]
web_search = true
`

/** The user's `~/.codex/hooks.json`. */
export const userCodexHooks = { hooks: { Stop: [{ hooks: [userHook] }] } }

/** The user's `~/.gemini/settings.json`: sign-in, UI, another MCP server, their own hooks and hook settings. */
export const userGeminiSettings = {
  security: { auth: { selectedType: "gemini-api-key" } },
  ui: { theme: "GitHub" },
  general: { vimMode: true },
  mcpServers: { github: { httpUrl: "https://example.test/mcp", trust: false } },
  hooksConfig: { notifications: true },
  hooks: {
    BeforeAgent: [{ hooks: [{ ...userHook, timeout: 3000 }] }],
    AfterTool: [{ matcher: "run_shell_command", hooks: [{ ...userHook, timeout: 3000 }] }]
  }
}

/** Paths inside a fake HOME. */
export interface FakeHome {
  readonly home: string
  readonly claudeJson: string
  readonly claudeSettings: string
  readonly codexConfig: string
  readonly codexHooks: string
  readonly geminiSettings: string
  readonly busDir: string
}

const writeJson = (path: string, value: unknown) => {
  fs.mkdirSync(join(path, ".."), { recursive: true })
  fs.writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 })
}

/** An empty HOME in a temporary directory (removed by `removeTempDirs`). */
export const emptyHome = (): FakeHome => {
  const home = makeTempDir("helioy-home-")
  return {
    home,
    claudeJson: join(home, ".claude.json"),
    claudeSettings: join(home, ".claude", "settings.json"),
    codexConfig: join(home, ".codex", "config.toml"),
    codexHooks: join(home, ".codex", "hooks.json"),
    geminiSettings: join(home, ".gemini", "settings.json"),
    busDir: join(home, ".helioy", "bus")
  }
}

/** A HOME with the user's Claude Code, Codex and Gemini CLI configuration in place. */
export const userHome = (): FakeHome => {
  const paths = emptyHome()
  writeJson(paths.claudeJson, userClaudeJson)
  writeJson(paths.claudeSettings, userClaudeSettings)
  fs.mkdirSync(join(paths.home, ".codex"), { recursive: true })
  fs.writeFileSync(paths.codexConfig, userCodexConfig)
  writeJson(paths.codexHooks, userCodexHooks)
  writeJson(paths.geminiSettings, userGeminiSettings)
  return paths
}

/** What a run of the CLI printed and how it exited. */
export interface CliRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built `helioy-bus` with only PATH and the given HOME (plus `env`). */
export const runCli = (home: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): CliRun => {
  const result = spawnSync(process.execPath, [busBin, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Every file under `root` with its content and mtime, to show that nothing changed. */
export const snapshot = (root: string): Record<string, { readonly content: string; readonly mtimeMs: number }> =>
  Object.fromEntries(
    (fs.readdirSync(root, { recursive: true }) as Array<string>)
      .map((path) => join(root, String(path)))
      .filter((path) => fs.lstatSync(path).isFile())
      .sort()
      .map((path) => [path, { content: fs.readFileSync(path, "utf8"), mtimeMs: fs.statSync(path).mtimeMs }])
  )

/** The backups (`<file>.bak-*`) of a file. */
export const backupsOf = (path: string): Array<string> => {
  const dir = join(path, "..")
  const name = path.slice(dir.length + 1)
  return fs.readdirSync(dir).filter((entry) => entry.startsWith(`${name}.bak-`)).map((entry) => join(dir, entry))
}

/** A JSON file's value. */
export const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path, "utf8")) as Record<string, unknown>
