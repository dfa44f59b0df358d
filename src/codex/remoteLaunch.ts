/**
 * When and how the launch wrapper points a Codex TUI at its relay (`--remote unix://…`) instead of the daemon itself.
 */

/** Codex's subcommands: none of them is the interactive TUI the relay serves. */
const subcommands: ReadonlySet<string> = new Set([
  "agents",
  "exec",
  "e",
  "review",
  "login",
  "logout",
  "mcp",
  "plugin",
  "app-server",
  "remote-control",
  "completion",
  "update",
  "doctor",
  "sandbox",
  "debug",
  "apply",
  "a",
  "resume",
  "queue",
  "archive",
  "delete",
  "migrate-rollouts",
  "migrate-nfs-db",
  "unarchive",
  "fork",
  "cloud",
  "exec-server",
  "features",
  "help"
])

/** Options of the TUI that take a value as the next word. */
const valueOptions: ReadonlySet<string> = new Set([
  "-c",
  "--config",
  "-m",
  "--model",
  "-p",
  "--profile",
  "-s",
  "--sandbox",
  "-a",
  "--ask-for-approval",
  "-C",
  "--cd",
  "--add-dir",
  "-i",
  "--image",
  "--enable",
  "--disable",
  "--remote",
  "--remote-auth-token-env",
  "--local-provider"
])

/** Words that mean the user chose how the TUI reaches its server, or asked for no session at all. */
const optOut: ReadonlySet<string> = new Set(["--remote", "--no-daemon", "-h", "--help", "-V", "--version", "--add-dir"])

const isCodex = (command: string) => /(?:^|\/)codex(?:\.js)?$/.test(command)

/** Whether an option word (`--cd`, `--cd=x`) is `name`. */
const named = (word: string, name: string) => word === name || word.startsWith(`${name}=`)

/**
 * The command line that runs the Codex TUI `argv` through the relay at `socketPath`: `--remote unix://<socket>`,
 * and `--cd <cwd>` unless given (a remote TUI otherwise takes the daemon's directory). Undefined when `argv` is not
 * the plain interactive TUI (a subcommand, `--help`, `--remote`, `--no-daemon`, `--add-dir`, which a remote TUI
 * refuses) or the user turned the daemon off (`--disable daemon_auto_start`); it then runs as given. Never fails.
 */
export const remoteCodexArgv = (
  argv: readonly [string, ...Array<string>],
  socketPath: string,
  cwd: string
): readonly [string, ...Array<string>] | undefined => {
  const [command, ...args] = argv
  if (!isCodex(command)) return undefined
  let hasCd = false
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!
    if (word === "--") break
    if ([...optOut].some((name) => named(word, name))) return undefined
    if (named(word, "-C") || named(word, "--cd")) hasCd = true
    if ((word === "--disable" && args[index + 1] === "daemon_auto_start") || word === "--disable=daemon_auto_start") {
      return undefined
    }
    if (/features\.daemon_auto_start\s*=\s*false/.test(`${word} ${args[index + 1] ?? ""}`)) return undefined
    if (valueOptions.has(word)) {
      index++
      continue
    }
    if (!word.startsWith("-")) {
      if (subcommands.has(word)) return undefined
      break
    }
  }
  return [command, "--remote", `unix://${socketPath}`, ...(hasCd ? [] : ["--cd", cwd]), ...args]
}
