/**
 * registry.db as the Python reference makes it, through better-sqlite3 directly (no bus code involved), and a
 * second process that holds the database's write lock.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"

interface Statement {
  run(...params: ReadonlyArray<unknown>): unknown
  all(...params: ReadonlyArray<unknown>): Array<Record<string, unknown>>
  get(...params: ReadonlyArray<unknown>): Record<string, unknown> | undefined
}

/** The part of better-sqlite3's Database the tests use. */
export interface Database {
  exec(sql: string): void
  prepare(sql: string): Statement
  pragma(pragma: string, options?: { readonly simple?: boolean }): unknown
  close(): void
}

const require = createRequire(import.meta.url)
const betterSqlitePath = require.resolve("better-sqlite3")

/** Opens a SQLite file with better-sqlite3. */
export const openDatabase = (path: string, options: { readonly readonly?: boolean } = {}): Database => {
  const DatabaseClass = require(betterSqlitePath) as new(path: string, options?: { readonly?: boolean }) => Database
  return new DatabaseClass(path, options.readonly ? { readonly: true } : {})
}

/** A reference timestamp (`datetime.now(UTC).isoformat()`). */
export const referenceTime = "2026-03-16T12:00:00.123456+00:00"

/**
 * Creates registry.db the way an older reference did: WAL, and an `agents` table from before the session_id-era
 * migrations (no profile, runtime, token_usage or pane_id), warrooms without layout / runtime_policy / metadata,
 * the nudge log; plus one agent row, one nudge row and one warroom.
 */
export const createLegacyReferenceDb = (path: string) => {
  const db = openDatabase(path)
  try {
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.exec(`
      CREATE TABLE agents (
        agent_id TEXT PRIMARY KEY,
        cwd TEXT NOT NULL,
        tmux_target TEXT NOT NULL DEFAULT '',
        pid INTEGER,
        session_id TEXT NOT NULL DEFAULT '',
        agent_type TEXT NOT NULL DEFAULT 'general',
        registered_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
      );
      CREATE TABLE nudge_log (agent_id TEXT NOT NULL, nudged_at TEXT NOT NULL);
      CREATE INDEX idx_nudge_log_agent ON nudge_log(agent_id, nudged_at);
      CREATE TABLE warrooms (
        warroom_id TEXT PRIMARY KEY,
        tmux_session TEXT NOT NULL,
        tmux_window TEXT NOT NULL,
        cwd TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
      );
    `)
    db.prepare(
      "INSERT INTO agents (agent_id, cwd, tmux_target, pid, session_id, agent_type, registered_at, last_seen) VALUES (?, ?, '', NULL, 'sess-1', 'backend', ?, ?)"
    ).run("legacy:backend", "/home/user/legacy", referenceTime, referenceTime)
    db.prepare("INSERT INTO nudge_log (agent_id, nudged_at) VALUES (?, ?)").run("legacy:backend", referenceTime)
    db.prepare(
      "INSERT INTO warrooms (warroom_id, tmux_session, tmux_window, cwd, created_at) VALUES ('wr1', 'main', 'warroom', '/home/user', ?)"
    ).run(referenceTime)
  } finally {
    db.close()
  }
}

/** Everything a registry holds, schema and rows, as one comparable value. */
export const snapshotDb = (path: string) => {
  const db = openDatabase(path, { readonly: true })
  try {
    const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all()
    const tables = schema.filter((entry) => entry.type === "table").map((entry) => String(entry.name))
    const rows = Object.fromEntries(
      // Sorted by content: WITHOUT ROWID tables have no rowid to order by.
      tables.map((table) => [
        table,
        db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()
      ])
    )
    return { schema, rows }
  } finally {
    db.close()
  }
}

const lockHolder = `
const Database = require(process.argv[2])
const db = new Database(process.argv[1])
db.exec("BEGIN EXCLUSIVE")
db.prepare("INSERT INTO agents (agent_id, cwd, registered_at, last_seen) VALUES ('held:by-lock', '/x', '${referenceTime}', '${referenceTime}')").run()
process.stdout.write("locked\\n")
process.stdin.once("data", () => {
  db.exec("COMMIT")
  db.close()
  process.stdout.write("released\\n")
  process.exit(0)
})
`

/** Another process holding registry.db's write lock (`BEGIN EXCLUSIVE`, one row inserted, uncommitted). */
export interface LockHolder {
  /** Commits (the row lands) and waits for the process to exit. */
  readonly release: () => Promise<void>
}

/** Starts a process that takes the write lock; resolves once it holds it. */
export const holdWriteLock = (dbPath: string): Promise<LockHolder & { readonly kill: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", lockHolder, dbPath, betterSqlitePath], {
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    child.once("exit", (code) => reject(new Error(`lock holder exited (${code}) before locking: ${stderr}`)))
    child.stdout.once("data", () =>
      resolve({
        release: async () => {
          child.stdin.write("release\n")
          const code = await exited
          if (code !== 0) throw new Error(`lock holder failed (${code}): ${stderr}`)
        },
        kill: () => {
          if (child.exitCode === null) child.kill("SIGKILL")
        }
      }))
  })

/** A lock holder for the length of the scope (killed on release if the test did not release it). */
export const writeLock = (dbPath: string) =>
  Effect.acquireRelease(Effect.promise(() => holdWriteLock(dbPath)), (holder) => Effect.sync(() => holder.kill()))
