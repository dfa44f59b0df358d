/**
 * A real PostgreSQL server for tests: `initdb` into a temp dir, `postgres` on 127.0.0.1 at a free port with its unix
 * socket in that dir, run as an unprivileged user when the tests run as root, stopped and removed at teardown.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import { join } from "node:path"

/** Where Debian installs the server binaries, newest major version first; undefined when none is installed. */
export const postgresBinDir = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!fs.existsSync(root)) return undefined
  const majors = fs.readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))
  return majors.map((major) => join(root, major, "bin")).find((dir) => fs.existsSync(join(dir, "initdb")))
}

/** A free TCP port on loopback, as the kernel hands one out. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => typeof address === "object" && address !== null ? resolve(address.port) : reject())
    })
  })

/** The uid and gid the server runs as: `nobody`'s when we are root (postgres refuses root), else our own. */
const serverUser = (): { readonly uid: number; readonly gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }).trim())
  return { uid: id("-u"), gid: id("-g") }
}

/** A running test server. */
export interface PostgresServer {
  /** A superuser URL over TCP (`postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication). */
  readonly url: string
  readonly port: number
  readonly dataDir: string
  /** Stops the server (fast shutdown), waiting for it to exit; the data dir stays. */
  readonly stop: () => Promise<void>
  /** Starts the server again on the same port and data dir, resolving once it accepts connections. */
  readonly start: () => Promise<void>
  /** Stops the server and removes its dir. */
  readonly destroy: () => Promise<void>
}

/** Waits until the server at `port` accepts connections (pg_isready), failing after `attempts` tries. */
const ready = async (bin: string, dir: string, port: number, child: ChildProcess, log: string) => {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`postgres exited with ${child.exitCode}: ${fs.readFileSync(log, "utf8").slice(-2000)}`)
    }
    try {
      execFileSync(join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres"])
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`postgres in ${dir} did not accept connections`)
}

/** Initialises and starts a server; fails when the binaries are missing or the server does not come up. */
export const startPostgres = async (): Promise<PostgresServer> => {
  const bin = postgresBinDir()
  if (bin === undefined) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
  const dir = fs.mkdtempSync(join(os.tmpdir(), "helioy-pg-"))
  const dataDir = join(dir, "data")
  const log = join(dir, "server.log")
  const user = serverUser()
  fs.chmodSync(dir, 0o700)
  if (user !== undefined) fs.chownSync(dir, user.uid, user.gid)
  const asUser = user === undefined ? {} : { uid: user.uid, gid: user.gid }
  execFileSync(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], {
    ...asUser,
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", HOME: dir },
    stdio: ["ignore", "ignore", "pipe"]
  })
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    const out = fs.openSync(log, "a")
    if (user !== undefined) fs.fchownSync(out, user.uid, user.gid)
    child = spawn(join(bin, "postgres"), [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${dir}`,
      "-c",
      "fsync=off",
      "-c",
      "max_connections=300"
    ], { ...asUser, cwd: dir, stdio: ["ignore", out, out], env: { PATH: process.env.PATH ?? "", LANG: "C" } })
    fs.closeSync(out)
    await ready(bin, dir, port, child, log)
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const running = child
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return resolve()
      running.once("exit", () => resolve())
      running.kill("SIGINT")
    })
  await start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    start,
    destroy: async () => {
      await stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
