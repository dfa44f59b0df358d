/**
 * A rig for warroom tests against the built binaries: a private tmux server with a `work` session (the caller's
 * pane), a fake HOME with Claude agent files, and a fake `claude` and `gemini` first on the panes' PATH that register
 * through `helioy-bus hook session-start` as the real ones' hooks would, then wait.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { openDatabase } from "../integration/referenceDb.js"
import { busBin, makeTempDir } from "./mcpClient.js"
import { pollUntil, startTmuxServer, type TmuxServer } from "./tmuxServer.js"

/** The built `helioy-warroom`. */
export const warroomBin = fileURLToPath(new URL("../../bin/helioy-warroom.js", import.meta.url))

/** The old-syntax wrapper. */
export const warroomSh = fileURLToPath(new URL("../../plugin/scripts/warroom.sh", import.meta.url))

/** The agent files of the fake HOME: `user:backend`, `user:qa`, `user:reviewer`. */
const agentFiles = {
  backend: "Builds the server side: APIs, storage, migrations.",
  qa: "Tests what others build and reports regressions.",
  reviewer: "Reviews pull requests for correctness and style."
}

/**
 * A fake `claude`: registers its pane through the SessionStart hook, prints what it was given and a `❯` prompt, then
 * waits. `FAKE_CLAUDE_EXIT=<code>` makes it print a refusal and exit at once instead; `FAKE_CLAUDE_DIALOG=1` makes it
 * wait at a trust dialog (a numbered menu) after registering.
 */
const fakeClaude = (log: string) =>
  `#!/bin/sh
if [ -n "$FAKE_CLAUDE_EXIT" ]; then
  echo "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons"
  sleep 0.3
  exit "$FAKE_CLAUDE_EXIT"
fi
HELIOY_BUS_CLAUDE_PID=$$
export HELIOY_BUS_CLAUDE_PID
printf '{"session_id":"fake-%s","transcript_path":"","cwd":"%s","hook_event_name":"SessionStart","source":"startup"}\\n' "$$" "$(pwd)" \\
  | '${process.execPath}' '${busBin}' hook session-start >/dev/null 2>>'${log}'
printf 'ID=%s\\nTYPE=%s\\nRT=%s\\nPWD=%s\\nARGS=%s\\nREADY\\n' "$HELIOY_AGENT_ID" "$HELIOY_BUS_AGENT_TYPE" "$HELIOY_RUNTIME" "$(pwd)" "$*"
if [ -n "$FAKE_CLAUDE_DIALOG" ]; then
  printf 'Do you trust the files in this folder?\\n❯ 1. Yes, proceed\\n  2. No, exit\\n'
else
  printf '❯ \\n'
fi
exec sleep 600
`

/**
 * A fake `gemini`: registers its pane through the SessionStart hook with Gemini CLI's payload and variables (a chat
 * transcript under ~/.gemini/tmp, GEMINI_SESSION_ID, no HELIOY_RUNTIME needed), prints what it was given and Gemini's
 * ` > ` input line, then waits.
 */
const fakeGemini = (log: string) =>
  `#!/bin/sh
HELIOY_BUS_GEMINI_PID=$$
GEMINI_SESSION_ID="00000000-0000-4000-8000-$(printf '%012d' $$)"
export HELIOY_BUS_GEMINI_PID GEMINI_SESSION_ID
printf '{"session_id":"%s","transcript_path":"%s/.gemini/tmp/p/chats/session-%s.jsonl","cwd":"%s","hook_event_name":"SessionStart","timestamp":"2026-12-01T17:40:37.799Z","source":"startup"}\n' "$GEMINI_SESSION_ID" "$HOME" "$$" "$(pwd)" \
  | env -u HELIOY_RUNTIME '${process.execPath}' '${busBin}' hook session-start >/dev/null 2>>'${log}'
printf 'ID=%s\nTYPE=%s\nRT=%s\nPWD=%s\nARGS=%s\nREADY\n' "$HELIOY_AGENT_ID" "$HELIOY_BUS_AGENT_TYPE" "$HELIOY_RUNTIME" "$(pwd)" "$*"
printf ' >   Type your message or @path/to/file\n'
exec sleep 600
`

/** The rig of one test. */
export interface WarroomRig {
  readonly root: string
  readonly home: string
  readonly busDir: string
  readonly tmux: TmuxServer
  /** The caller's pane (`work:0.0`). */
  readonly leadPane: string
  /** Project directories `proj` and `api`. */
  readonly dirs: { readonly proj: string; readonly api: string }
  /** The environment of a CLI or server run from the lead pane. */
  readonly env: Record<string, string>
  /** Runs `helioy-warroom` (or `warroom.sh` with `sh: true`) from the lead pane. */
  readonly cli: (
    args: ReadonlyArray<string>,
    options?: { readonly sh?: string; readonly env?: Record<string, string> }
  ) => CliResult
  /** The registry's agents: id, pane, type, runtime. */
  readonly agents: () => ReadonlyArray<{ agent_id: string; pane_id: string; agent_type: string; runtime: string }>
  /** Polls the registry until `ids` are all registered (bounded: 5 s); returns the rows. */
  readonly waitRegistered: (ids: ReadonlyArray<string>) => Promise<ReadonlyArray<{ agent_id: string; pane_id: string }>>
  /** The names of the windows of session `work`. */
  readonly windows: () => ReadonlyArray<string>
  /** The panes (id, title, cwd) of a window of `work` by name. */
  readonly panesOf: (window: string) => ReadonlyArray<{ id: string; title: string; cwd: string }>
  readonly kill: () => void
}

/** How a CLI run ended. */
export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Builds the rig: temp dirs, fake HOME and runtime, the private tmux server and its `work` session. */
export const makeWarroomRig = (): WarroomRig => {
  const root = fs.realpathSync(makeTempDir("helioy-warroom-"))
  const home = join(root, "home")
  const busDir = join(root, "bus")
  const bin = join(root, "bin")
  const dirs = { proj: join(root, "proj"), api: join(root, "api") }
  for (const dir of [home, bin, ...Object.values(dirs)]) fs.mkdirSync(dir, { recursive: true })
  fs.mkdirSync(join(home, ".claude", "agents"), { recursive: true })
  for (const [name, description] of Object.entries(agentFiles)) {
    fs.writeFileSync(
      join(home, ".claude", "agents", `${name}.md`),
      `---\nname: ${name}\ndescription: ${description}\n---\nYou are ${name}.\n`
    )
  }
  fs.writeFileSync(join(bin, "claude"), fakeClaude(join(root, "hook.log")), { mode: 0o755 })
  fs.writeFileSync(join(bin, "gemini"), fakeGemini(join(root, "hook.log")), { mode: 0o755 })
  const tmux = startTmuxServer(root)
  const leadPane = tmux.newSession("work", ["sleep", "600"])
  tmux.run("set-window-option", "-t", leadPane, "automatic-rename", "off")
  tmux.run("rename-window", "-t", leadPane, "sleep")
  const path = `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`
  tmux.run("set-environment", "-g", "PATH", path)
  tmux.run("set-environment", "-g", "HOME", home)
  const env = {
    PATH: path,
    HOME: home,
    HELIOY_BUS_DIR: busDir,
    TMUX_TMPDIR: tmux.tmpdir,
    TMUX_PANE: leadPane,
    HELIOY_BUS_LOG_LEVEL: "warning"
  }
  const query = <A>(sql: string): ReadonlyArray<A> => {
    if (!fs.existsSync(join(busDir, "registry.db"))) return []
    const db = openDatabase(join(busDir, "registry.db"), { readonly: true })
    try {
      db.pragma("busy_timeout = 2000")
      return db.prepare(sql).all() as Array<A>
    } finally {
      db.close()
    }
  }
  const agents = () =>
    query<{ agent_id: string; pane_id: string; agent_type: string; runtime: string }>(
      "SELECT agent_id, pane_id, agent_type, runtime FROM agents ORDER BY agent_id"
    )
  return {
    root,
    home,
    busDir,
    tmux,
    leadPane,
    dirs,
    env,
    cli: (args, options = {}) => {
      const [command, argv] = options.sh === undefined
        ? [process.execPath, [warroomBin, ...args]]
        : ["sh", [options.sh, ...args]]
      const result = spawnSync(command, argv, {
        cwd: dirs.proj,
        env: { ...env, ...options.env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 30_000
      })
      return { status: result.status, stdout: result.stdout, stderr: result.stderr }
    },
    agents,
    waitRegistered: (ids) =>
      pollUntil(
        () => {
          const rows = agents().filter((row) => ids.includes(row.agent_id))
          return rows.length === ids.length ? rows : undefined
        },
        `${ids.join(", ")} to register`,
        () =>
          `registered: ${JSON.stringify(agents())}\nhook log: ${
            fs.existsSync(join(root, "hook.log")) ? fs.readFileSync(join(root, "hook.log"), "utf8") : ""
          }`
      ),
    windows: () => tmux.run("list-windows", "-t", "=work", "-F", "#{window_name}").trim().split("\n"),
    panesOf: (window) =>
      tmux.run("list-panes", "-t", `=work:=${window}`, "-F", "#{pane_id}\t#{pane_title}\t#{pane_current_path}").trim()
        .split("\n")
        .map((line) => line.split("\t")).map(([id, title, cwd]) => ({ id: id!, title: title!, cwd: cwd! })),
    kill: () => tmux.kill()
  }
}

/** A connected MCP client of `helioy-warroom serve`, run from the rig's lead pane. */
export const startWarroomServer = async (rig: WarroomRig) => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [warroomBin, "serve"],
    env: rig.env,
    cwd: rig.dirs.proj,
    stderr: "pipe"
  })
  let stderr = ""
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const client = new Client({ name: "helioy-warroom-test", version: "0.0.0" })
  await client.connect(transport)
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult
  const text = (result: CallToolResult) =>
    result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n")
  return {
    client,
    call,
    /** Calls a tool that must succeed; returns its structuredContent. */
    ok: async (name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args)
      if (result.isError) throw new Error(`${name} failed: ${text(result)}\n${stderr}`)
      return result.structuredContent as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    },
    /** Calls a tool that must fail; returns its message and structuredContent. */
    fails: async (name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args)
      if (!result.isError) throw new Error(`${name} unexpectedly succeeded: ${text(result)}`)
      return { message: text(result), structured: result.structuredContent as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
    },
    close: () => client.close()
  }
}
